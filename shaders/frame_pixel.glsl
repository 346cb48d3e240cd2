// Included by passes that read the uploaded frame. frameSample(p) is pixel p (image row 0 first) in the frame's
// own colour space (RGB, or Y'CbCr for YUV formats) in 0..1; sampleToRgb converts a sample, or a weighted average
// of samples, to RGB. The conversion is affine, so filtering samples first and converting once per output gives
// the same result with far less work per tap (only clamping of out-of-gamut values moves after the average; the
// CPU reference does the same). No pass writes a full-resolution converted copy.
// One define picks the layout the uploader used:
//   FORMAT_RGB  one RGB(A) texture (BGRA is swizzled to RGBA by the texture)
//   FORMAT_YUYV / FORMAT_UYVY  packed 4:2:2 in an RGBA8 texture of ceil(w/2) x h, two pixels per texel
//   FORMAT_NV12  R8 luma + RG8 chroma at half size;  FORMAT_I420  three R8 planes
// YUV uses the chroma sample that covers the pixel, as the CPU reference does.
uniform highp sampler2D u_plane0;
uniform highp sampler2D u_plane1;
uniform highp sampler2D u_plane2;
// Rows of the 3x4 YUV->RGB matrix over (y, u, v, 1), samples in 0..1.
uniform vec4 u_toRed;
uniform vec4 u_toGreen;
uniform vec4 u_toBlue;

vec3 sampleToRgb(vec3 s)
{
#if defined(FORMAT_RGB)
    return s;
#else
    vec4 yuv1 = vec4(s, 1.0);
    return clamp(vec3(dot(u_toRed, yuv1), dot(u_toGreen, yuv1), dot(u_toBlue, yuv1)), 0.0, 1.0);
#endif
}

#if defined(FORMAT_YUYV) || defined(FORMAT_UYVY)
// Packed 4:2:2 holds two pixels per texel. A pass that reads runs of neighbouring pixels (a horizontal filter)
// fetches each texel once: framePair(t) = (luma of pixel 2t, luma of pixel 2t + 1, their Cb, their Cr).
#define FRAME_PIXEL_PAIRS
vec4 framePair(ivec2 t)
{
    vec4 q = texelFetch(u_plane0, t, 0);
#if defined(FORMAT_YUYV)
    return q.rbga;
#else
    return q.garb;
#endif
}
#endif

vec3 frameSample(ivec2 p)
{
#if defined(FORMAT_RGB)
    return texelFetch(u_plane0, p, 0).rgb;
#elif defined(FORMAT_YUYV)
    vec4 q = texelFetch(u_plane0, ivec2(p.x >> 1, p.y), 0);
    return vec3((p.x & 1) == 0 ? q.r : q.b, q.g, q.a);
#elif defined(FORMAT_UYVY)
    vec4 q = texelFetch(u_plane0, ivec2(p.x >> 1, p.y), 0);
    return vec3((p.x & 1) == 0 ? q.g : q.a, q.r, q.b);
#elif defined(FORMAT_NV12)
    return vec3(texelFetch(u_plane0, p, 0).r, texelFetch(u_plane1, p >> 1, 0).rg);
#elif defined(FORMAT_I420)
    return vec3(texelFetch(u_plane0, p, 0).r, texelFetch(u_plane1, p >> 1, 0).r, texelFetch(u_plane2, p >> 1, 0).r);
#else
#error "frame_pixel.glsl needs one FORMAT_* define"
#endif
}
