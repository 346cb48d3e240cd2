#version 300 es
// Localization map: the whole frame at low resolution (e.g. 160x120), each texel the mean of a 4x4 grid of
// samples over its cell (a cheap area average). R = lesion contrast the localizer thresholds: green absorption
// (1 - green; melanin and haemoglobin both absorb green, so brown, black and red lesions stand out) plus half the
// blue-over-green shift (pink and bluish lesions against tan skin; plain darkness misses them);
// G = luma (BT.601) for the quality checks; B, A = log-chromaticity ln(R/G), ln(B/G) of the cell's mean colour,
// which shading (vignetting, skin texture) leaves unchanged, so the localizer can tell a lesion by its colour.
// Texel row 0 = top of the frame.
precision highp float;
precision highp int;

#include "frame_pixel.glsl"

uniform ivec2 u_frameSize;
uniform ivec2 u_mapSize;

out vec4 o_map;

void main()
{
    vec2 cell = vec2(u_frameSize) / vec2(u_mapSize);
    vec2 origin = floor(gl_FragCoord.xy) * cell;
    float luma = 0.0;
    float absorption = 0.0;
    vec3 sum = vec3(0.0);
    for (int j = 0; j < 4; j++)
    {
        for (int i = 0; i < 4; i++)
        {
            ivec2 p = ivec2(origin + (vec2(float(i), float(j)) + 0.5) * cell * 0.25);
            vec3 rgb = sampleToRgb(frameSample(clamp(p, ivec2(0), u_frameSize - 1)));
            sum += rgb;
            luma += dot(rgb, vec3(0.299, 0.587, 0.114));
            // Green absorption, plus the blue-over-green shift that tells pink and bluish lesions from tan skin.
            absorption += 1.0 - rgb.g + 0.5 * (rgb.b - rgb.g);
        }
    }

    luma *= 1.0 / 16.0;
    absorption *= 1.0 / 16.0;
    // The offset keeps near-black cells finite; their colour is ignored anyway (too dark to trust).
    vec3 mean = sum * (1.0 / 16.0) + 0.01;
    o_map = vec4(clamp(absorption, 0.0, 1.0), luma, log(mean.r / mean.g), log(mean.b / mean.g));
}
