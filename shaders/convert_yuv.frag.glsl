#version 300 es
// Convert pass: one YUV frame (planes as uploaded) -> RGB at full resolution, image row 0 in texel row 0.
// Chroma is the sample that covers the pixel (no interpolation), as in the CPU reference.
// Variants: FORMAT_YUYV, FORMAT_UYVY (packed 4:2:2 in an RGBA8 texture of ceil(w/2) x h),
// FORMAT_NV12 (R8 luma + RG8 chroma), FORMAT_I420 (three R8 planes).
precision highp float;
precision highp int;

uniform highp sampler2D u_plane0;
uniform highp sampler2D u_plane1;
uniform highp sampler2D u_plane2;
// Rows of the 3x4 YUV->RGB matrix over (y, u, v, 1), samples in 0..1.
uniform vec4 u_toRed;
uniform vec4 u_toGreen;
uniform vec4 u_toBlue;

out vec4 o_rgb;

vec3 sampleYuv(ivec2 p)
{
    ivec2 c = p >> 1;
#if defined(FORMAT_YUYV)
    vec4 q = texelFetch(u_plane0, ivec2(c.x, p.y), 0);
    return vec3((p.x & 1) == 0 ? q.r : q.b, q.g, q.a);
#elif defined(FORMAT_UYVY)
    vec4 q = texelFetch(u_plane0, ivec2(c.x, p.y), 0);
    return vec3((p.x & 1) == 0 ? q.g : q.a, q.r, q.b);
#elif defined(FORMAT_NV12)
    vec2 uv = texelFetch(u_plane1, c, 0).rg;
    return vec3(texelFetch(u_plane0, p, 0).r, uv);
#elif defined(FORMAT_I420)
    return vec3(texelFetch(u_plane0, p, 0).r, texelFetch(u_plane1, c, 0).r, texelFetch(u_plane2, c, 0).r);
#else
#error "convert_yuv needs one FORMAT_* define"
#endif
}

void main()
{
    vec4 yuv1 = vec4(sampleYuv(ivec2(gl_FragCoord.xy)), 1.0);
    o_rgb = vec4(clamp(vec3(dot(u_toRed, yuv1), dot(u_toGreen, yuv1), dot(u_toBlue, yuv1)), 0.0, 1.0), 1.0);
}
