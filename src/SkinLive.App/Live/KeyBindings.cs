using SkinLive.Gpu.Platform;

namespace SkinLive.App.Live;

/// <summary>What a key asks the live view to do.</summary>
public enum LiveCommand
{
    Quit,
    Freeze,
    Snapshot,
    ToggleHud,
    ToggleFullscreen,
    ToggleVSync,
    NextCamera,
    NextModel,
}

/// <summary>Which runs a binding is on in.</summary>
public enum BindingMode
{
    Always,
    /// <summary>Not in kiosk mode (switching and plain quitting are for attended use).</summary>
    Attended,
    KioskOnly,
}

/// <summary>One key binding: the key (with the modifiers it needs, if any), the command, and how the HUD names it.</summary>
public sealed record KeyBinding(string Keys, Key[] Presses, KeyModifiers Chord, BindingMode Mode, LiveCommand Command, string Does);

/// <summary>The live view's keys, in one table: the key handler looks commands up here and the HUD's help line is printed from it.</summary>
public static class KeyBindings
{
    private static readonly KeyBinding[] Table =
    [
        new("Esc/Q", [Key.Escape, Key.Q], KeyModifiers.None, BindingMode.Attended, LiveCommand.Quit, "quit"),
        new("Ctrl+Alt+Q", [Key.Q], KeyModifiers.Control | KeyModifiers.Alt, BindingMode.KioskOnly, LiveCommand.Quit, "quit"),
        new("Space", [Key.Space], KeyModifiers.None, BindingMode.Always, LiveCommand.Freeze, "freeze"),
        new("S", [Key.S], KeyModifiers.None, BindingMode.Always, LiveCommand.Snapshot, "snapshot"),
        new("H", [Key.H], KeyModifiers.None, BindingMode.Always, LiveCommand.ToggleHud, "HUD"),
        new("F/F11", [Key.F, Key.F11], KeyModifiers.None, BindingMode.Always, LiveCommand.ToggleFullscreen, "fullscreen"),
        new("V", [Key.V], KeyModifiers.None, BindingMode.Always, LiveCommand.ToggleVSync, "vsync"),
        new("C", [Key.C], KeyModifiers.None, BindingMode.Attended, LiveCommand.NextCamera, "next camera"),
        new("M", [Key.M], KeyModifiers.None, BindingMode.Attended, LiveCommand.NextModel, "next model"),
    ];

    public static IReadOnlyList<KeyBinding> All => Table;

    /// <summary>The command a key press asks for in this mode, or null. A chord needs its modifiers held (others may be too).</summary>
    public static LiveCommand? CommandFor(in KeyInput key, bool kiosk)
    {
        if (key.Action != InputAction.Press)
        {
            return null;
        }

        // The array itself, not the interface: a key press must not allocate an enumerator on the render thread.
        foreach (KeyBinding binding in Table)
        {
            if (IsOn(binding, kiosk) && Array.IndexOf(binding.Presses, key.Key) >= 0 && (key.Modifiers & binding.Chord) == binding.Chord)
            {
                return binding.Command;
            }
        }

        return null;
    }

    /// <summary>
    /// The HUD's help line, "Esc/Q quit · Space freeze · …": the keys of an attended run (a kiosk does not advertise
    /// its quit chord to passers-by).
    /// </summary>
    public static string HelpLine() =>
        string.Join(" · ", Table.Where(b => IsOn(b, kiosk: false)).Select(b => $"{b.Keys} {b.Does}"));

    private static bool IsOn(KeyBinding binding, bool kiosk) => binding.Mode switch
    {
        BindingMode.Attended => !kiosk,
        BindingMode.KioskOnly => kiosk,
        _ => true,
    };
}
