#version 300 es
// Preprocess pass 1: PIL's bilinear (triangle) filter along x, reading the uploaded frame directly.
// Output texel (x, y) = output column x of source row y. The support grows with the downscale factor, so a
// 1080p -> 224 resize averages every source pixel instead of aliasing.
precision highp float;
precision highp int;

#include "frame_pixel.glsl"
#include "pil_taps.glsl"

uniform int u_inSize;               // source width
uniform float u_in0;                // box left edge in source pixels
uniform float u_scale;              // box width / output width
uniform float u_support;            // max(scale, 1)

out vec4 o_rgb;

void main()
{
    ivec2 o = ivec2(gl_FragCoord.xy);
    PilTaps taps = pilTaps(o.x, u_in0, u_scale, u_support, u_inSize);
    vec3 sum = vec3(0.0);
    float weights = 0.0;
#if defined(FRAME_PIXEL_PAIRS)
    // Two pixels per texel: one fetch serves both taps (a CPU rasterizer pays per fetch).
    for (int t = taps.first >> 1; t <= (taps.last - 1) >> 1; t++)
    {
        int x = t << 1;
        float w0 = x >= taps.first ? pilWeight(taps, x) : 0.0;
        float w1 = x + 1 < taps.last ? pilWeight(taps, x + 1) : 0.0;
        vec4 pair = framePair(ivec2(t, o.y));
        sum += vec3(w0 * pair.x + w1 * pair.y, (w0 + w1) * pair.zw);
        weights += w0 + w1;
    }
#else
    for (int x = taps.first; x < taps.last; x++)
    {
        float w = pilWeight(taps, x);
        sum += w * frameSample(ivec2(x, o.y));
        weights += w;
    }
#endif

    o_rgb = vec4(weights > 0.0 ? sampleToRgb(sum / weights) : vec3(0.0), 1.0);
}
