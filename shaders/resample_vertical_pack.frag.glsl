#version 300 es
// Preprocess pass 2: PIL's triangle filter along y, then (v * 255 * scale - mean) / std, written so that the
// render target read back row by row IS the float32 tensor: texel (tx, ty) holds elements 4*(ty*width+tx)+0..3.
precision highp float;
precision highp int;

uniform highp sampler2D u_rows;     // output of pass 1: (output x, source y)
uniform int u_inSize;               // source height
uniform float u_in0;                // box top edge in source pixels
uniform float u_scale;              // box height / output height
uniform float u_support;            // max(scale, 1)
uniform int u_outWidth;             // model input width
uniform int u_outHeight;            // model input height
uniform int u_nchw;                 // 1: NCHW, 0: NHWC
uniform int u_bgr;                  // 1: channel 0 is blue
uniform int u_elements;             // 3 * width * height
uniform vec3 u_gain;                // 255 * scale / std, in model channel order
uniform vec3 u_offset;              // -mean / std, in model channel order
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
    int x = pixel - y * u_outWidth;
    float center = u_in0 + (float(y) + 0.5) * u_scale;
    float inverse = 1.0 / u_support;
    int first = max(int(center - u_support + 0.5), 0);
    int last = min(int(center + u_support + 0.5), u_inSize);
    int rgbIndex = u_bgr == 1 ? 2 - c : c;
    float sum = 0.0;
    float weights = 0.0;
    for (int s = first; s < last; s++)
    {
        float w = max(1.0 - abs((float(s) - center + 0.5) * inverse), 0.0);
        sum += w * texelFetch(u_rows, ivec2(x, s), 0)[rgbIndex];
        weights += w;
    }

    float v = weights > 0.0 ? sum / weights : 0.0;
    return v * u_gain[c] + u_offset[c];
}

void main()
{
    ivec2 t = ivec2(gl_FragCoord.xy);
    int e = 4 * (t.y * u_packedWidth + t.x);
    o_tensor = vec4(element(e), element(e + 1), element(e + 2), element(e + 3));
}
