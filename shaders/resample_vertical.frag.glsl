#version 300 es
// Preprocess pass 2: PIL's triangle filter along y over pass 1's rows, then (v * 255 * scale - mean) / std.
// Output texel (x, y) = the model-input pixel (x, y), channels already in model order.
precision highp float;
precision highp int;

#include "pil_taps.glsl"

uniform highp sampler2D u_rows;     // output of pass 1: (output x, source y)
uniform int u_inSize;               // source height
uniform float u_in0;                // box top edge in source pixels
uniform float u_scale;              // box height / output height
uniform float u_support;            // max(scale, 1)
uniform int u_bgr;                  // 1: channel 0 is blue
uniform vec3 u_gain;                // 255 * scale / std, in model channel order
uniform vec3 u_offset;              // -mean / std, in model channel order

out vec4 o_pixel;

void main()
{
    ivec2 o = ivec2(gl_FragCoord.xy);
    PilTaps taps = pilTaps(o.y, u_in0, u_scale, u_support, u_inSize);
    vec3 sum = vec3(0.0);
    float weights = 0.0;
    for (int y = taps.first; y < taps.last; y++)
    {
        float w = pilWeight(taps, y);
        sum += w * texelFetch(u_rows, ivec2(o.x, y), 0).rgb;
        weights += w;
    }

    vec3 rgb = weights > 0.0 ? sum / weights : vec3(0.0);
    vec3 ordered = u_bgr == 1 ? rgb.bgr : rgb;
    o_pixel = vec4(ordered * u_gain + u_offset, 0.0);
}
