#version 300 es
// Draws an RGB frame into the letterboxed viewport. Frames are stored top row first, GL's viewport has y up.
precision mediump float;

uniform sampler2D u_image;
in vec2 v_uv;
out vec4 o_color;

void main()
{
    o_color = vec4(texture(u_image, vec2(v_uv.x, 1.0 - v_uv.y)).rgb, 1.0);
}
