#version 300 es
// Draws the uploaded frame into the letterboxed viewport, converting each pixel it shows (nearest sample).
// Frames are stored top row first; GL's viewport has y up.
precision highp float;
precision highp int;

#include "frame_pixel.glsl"

uniform ivec2 u_frameSize;
in vec2 v_uv;
out vec4 o_color;

void main()
{
    ivec2 p = clamp(ivec2(vec2(v_uv.x, 1.0 - v_uv.y) * vec2(u_frameSize)), ivec2(0), u_frameSize - 1);
    o_color = vec4(sampleToRgb(frameSample(p)), 1.0);
}
