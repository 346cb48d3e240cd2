#version 300 es
// Overlay pass: coverage from the glyph atlas (R8; solid shapes sample its white block) times the vertex colour.
precision mediump float;

uniform sampler2D u_atlas;
in vec2 v_uv;
in vec4 v_color;
out vec4 o_color;

void main()
{
    o_color = vec4(v_color.rgb, v_color.a * texture(u_atlas, v_uv).r);
}
