namespace SkinLive.Gpu.Platform;

/// <summary>The keys the live view binds, in the host's own terms (each window backend maps its codes to these).</summary>
public enum Key
{
    Unknown,
    Space,
    Escape,
    C,
    F,
    H,
    M,
    Q,
    S,
    V,
    F11,
}

/// <summary>Modifier keys held with a key press.</summary>
[Flags]
public enum KeyModifiers
{
    None = 0,
    Shift = 1,
    Control = 2,
    Alt = 4,
}

public enum InputAction
{
    Release,
    Press,
    Repeat,
}

public readonly record struct KeyInput(Key Key, InputAction Action, KeyModifiers Modifiers);

public readonly record struct MouseInput(int Button, InputAction Action, double X, double Y);

/// <summary>What a real window can do that an offscreen target cannot; <see cref="RenderHost.Window"/> is null without one.</summary>
public interface IWindowControls
{
    bool IsFullscreen { get; }

    bool VSync { get; }

    /// <summary>Switches between a window and fullscreen on the primary monitor.</summary>
    void ToggleFullscreen();

    void SetVSync(bool enabled);

    /// <summary>Hides or shows the mouse cursor over the window (kiosk mode hides it).</summary>
    void SetCursorVisible(bool visible);
}
