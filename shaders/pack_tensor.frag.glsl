#version 300 es
// Preprocess pass 3: lays the normalized model-input pixels out as the tensor. The render target read back
// row by row IS the float32 tensor: texel (tx, ty) holds elements 4 * (ty * u_packedWidth + tx) + 0..3.
precision highp float;
precision highp int;

uniform highp sampler2D u_pixels;   // output of pass 2: normalized channels per model-input pixel
uniform int u_outWidth;             // model input width
uniform int u_outHeight;            // model input height
uniform int u_nchw;                 // 1: NCHW, 0: NHWC
uniform int u_elements;             // 3 * width * height
uniform int u_packedWidth;          // texels per row of the render target

out vec4 o_tensor;

float element(int e)
{
    if (e >= u_elements)
    {
        return 0.0;
    }

    int plane = u_outWidth * u_outHeight;
    int c;
    int pixel;
    if (u_nchw == 1)
    {
        c = e / plane;
        pixel = e - c * plane;
    }
    else
    {
        pixel = e / 3;
        c = e - pixel * 3;
    }

    int y = pixel / u_outWidth;
    return texelFetch(u_pixels, ivec2(pixel - y * u_outWidth, y), 0)[c];
}

void main()
{
    ivec2 t = ivec2(gl_FragCoord.xy);
    int e = 4 * (t.y * u_packedWidth + t.x);
    o_tensor = vec4(element(e), element(e + 1), element(e + 2), element(e + 3));
}
