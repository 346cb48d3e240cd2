using SkinLive.App.Live;
using SkinLive.Gpu.Platform;

namespace SkinLive.Tests.Live;

public sealed class KeyBindingsTests
{
    private static LiveCommand? Press(Key key, bool kiosk, KeyModifiers modifiers = KeyModifiers.None) =>
        KeyBindings.CommandFor(new KeyInput(key, InputAction.Press, modifiers), kiosk);

    [Fact]
    public void Attended_runs_quit_on_Esc_or_Q_and_switch_on_C_and_M()
    {
        Assert.Equal(LiveCommand.Quit, Press(Key.Escape, kiosk: false));
        Assert.Equal(LiveCommand.Quit, Press(Key.Q, kiosk: false));
        Assert.Equal(LiveCommand.NextCamera, Press(Key.C, kiosk: false));
        Assert.Equal(LiveCommand.NextModel, Press(Key.M, kiosk: false));
        Assert.Equal(LiveCommand.ToggleFullscreen, Press(Key.F11, kiosk: false));
    }

    [Fact]
    public void A_kiosk_quits_only_on_Ctrl_Alt_Q_and_does_not_switch()
    {
        Assert.Null(Press(Key.Escape, kiosk: true));
        Assert.Null(Press(Key.Q, kiosk: true));
        Assert.Null(Press(Key.Q, kiosk: true, KeyModifiers.Control));
        Assert.Equal(LiveCommand.Quit, Press(Key.Q, kiosk: true, KeyModifiers.Control | KeyModifiers.Alt));
        Assert.Equal(LiveCommand.Quit, Press(Key.Q, kiosk: true, KeyModifiers.Control | KeyModifiers.Alt | KeyModifiers.Shift));
        Assert.Null(Press(Key.C, kiosk: true));
        Assert.Null(Press(Key.M, kiosk: true));
        Assert.Equal(LiveCommand.Freeze, Press(Key.Space, kiosk: true));
    }

    [Fact]
    public void Releases_and_repeats_do_nothing()
    {
        Assert.Null(KeyBindings.CommandFor(new KeyInput(Key.Q, InputAction.Release, KeyModifiers.None), kiosk: false));
        Assert.Null(KeyBindings.CommandFor(new KeyInput(Key.Space, InputAction.Repeat, KeyModifiers.None), kiosk: false));
    }

    [Fact]
    public void The_help_line_is_printed_from_the_table_with_the_keys_of_an_attended_run()
    {
        Assert.Equal("Esc/Q quit · Space freeze · S snapshot · H HUD · F/F11 fullscreen · V vsync · C next camera · M next model", KeyBindings.HelpLine());
    }
}
