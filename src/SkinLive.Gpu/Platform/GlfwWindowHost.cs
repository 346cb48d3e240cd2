using System.Runtime.InteropServices;
using Silk.NET.OpenGL;
using static SkinLive.Platform.NativeGlfw;
// The base class's Key event hides the enum inside the class.
using HostKey = SkinLive.Gpu.Platform.Key;

namespace SkinLive.Gpu.Platform;

/// <summary>
/// The game loop in a GLFW window with a GLES 3 context: vsync, resize, framebuffer-size changes, fullscreen
/// toggle, keyboard and mouse. GLFW callbacks are kept alive as fields for the window's lifetime and never let
/// an exception cross into native code: the first one is stored and rethrown after glfwPollEvents returns.
/// </summary>
public sealed class GlfwWindowHost : RenderHost, IWindowControls
{
    private static int _glfwUsers;
    private readonly SizeCallback _framebufferSizeCallback;
    private readonly KeyCallback _keyCallback;
    private readonly MouseButtonCallback _mouseButtonCallback;
    private readonly CursorPosCallback _cursorCallback;
    private readonly WindowCloseCallback _closeCallback;
    private readonly GlfwContext _context;
    private nint _window;
    private Exception? _callbackFailure;
    private int _width;
    private int _height;
    private double _cursorX;
    private double _cursorY;
    private (int X, int Y, int Width, int Height) _windowedBounds;

    public GlfwWindowHost(string title, int width, int height, bool vsync, bool fullscreen = false)
    {
        Initialize();
        glfwDefaultWindowHints();
        glfwWindowHint(GLFW_CLIENT_API, GLFW_OPENGL_ES_API);
        glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
        glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
        glfwWindowHint(GLFW_RESIZABLE, GLFW_TRUE);
        _window = glfwCreateWindow(width, height, title, 0, 0);
        if (_window == 0)
        {
            string reason = LastError();
            Release();
            throw new GpuUnavailableException($"GLFW could not create an OpenGL ES 3 window ({reason}); the display's driver lacks GLES 3, try --headless.");
        }

        glfwMakeContextCurrent(_window);
        glfwSwapInterval(vsync ? 1 : 0);
        VSync = vsync;
        try
        {
            _context = new GlfwContext();
        }
        catch
        {
            glfwDestroyWindow(_window);
            Release();
            throw;
        }

        glfwGetFramebufferSize(_window, out _width, out _height);
        _framebufferSizeCallback = (_, w, h) => OnFramebufferSize(w, h);
        _keyCallback = (_, key, _, action, mods) => Guarded(() => RaiseKey(new KeyInput(KeyOf(key), (InputAction)action, ModifiersOf(mods))));
        _mouseButtonCallback = (_, button, action, _) => Guarded(() => RaiseMouse(new MouseInput(button, (InputAction)action, _cursorX, _cursorY)));
        _cursorCallback = (_, x, y) =>
        {
            _cursorX = x;
            _cursorY = y;
        };
        _closeCallback = _ => Close();
        glfwSetFramebufferSizeCallback(_window, _framebufferSizeCallback);
        glfwSetKeyCallback(_window, _keyCallback);
        glfwSetMouseButtonCallback(_window, _mouseButtonCallback);
        glfwSetCursorPosCallback(_window, _cursorCallback);
        glfwSetWindowCloseCallback(_window, _closeCallback);
        if (fullscreen)
        {
            ToggleFullscreen();
        }
    }

    public override IGlContext Context => _context;

    public override IWindowControls Window => this;

    public override uint Framebuffer => 0;

    public override int FramebufferWidth => _width;

    public override int FramebufferHeight => _height;

    public bool VSync { get; private set; }

    public bool IsFullscreen => _window != 0 && glfwGetWindowMonitor(_window) != 0;

    public void SetVSync(bool enabled)
    {
        glfwSwapInterval(enabled ? 1 : 0);
        VSync = enabled;
    }

    public void SetTitle(string title) => glfwSetWindowTitle(_window, title);

    /// <summary>Hides the mouse cursor over the window (kiosk mode).</summary>
    public void SetCursorVisible(bool visible) => glfwSetInputMode(_window, GLFW_CURSOR, visible ? GLFW_CURSOR_NORMAL : GLFW_CURSOR_HIDDEN);

    /// <summary>Switches between a window and exclusive fullscreen on the primary monitor at its current mode.</summary>
    public unsafe void ToggleFullscreen()
    {
        if (IsFullscreen)
        {
            (int x, int y, int w, int h) = _windowedBounds;
            glfwSetWindowMonitor(_window, 0, x, y, w, h, 0);
            return;
        }

        nint monitor = glfwGetPrimaryMonitor();
        nint mode = monitor == 0 ? 0 : glfwGetVideoMode(monitor);
        if (mode == 0)
        {
            return;
        }

        glfwGetWindowPos(_window, out int wx, out int wy);
        glfwGetWindowSize(_window, out int ww, out int wh);
        _windowedBounds = (wx, wy, ww, wh);
        GLFWvidmode video = *(GLFWvidmode*)mode;
        glfwSetWindowMonitor(_window, monitor, 0, 0, video.width, video.height, video.refreshRate);
    }

    public override void Dispose()
    {
        if (_window == 0)
        {
            return;
        }

        _context.Dispose();
        glfwDestroyWindow(_window);
        _window = 0;
        Release();
    }

    protected override void PollEvents()
    {
        glfwPollEvents();
        if (_callbackFailure is { } failure)
        {
            _callbackFailure = null;
            throw new InvalidOperationException("A window event handler failed.", failure);
        }

        if (glfwWindowShouldClose(_window) != 0)
        {
            Close();
        }
    }

    protected override void SwapBuffers() => glfwSwapBuffers(_window);

    private static void Initialize()
    {
        try
        {
            if (Interlocked.Increment(ref _glfwUsers) == 1 && glfwInit() == 0)
            {
                string reason = LastError();
                Interlocked.Decrement(ref _glfwUsers);
                throw new GpuUnavailableException($"No display is available ({reason}); run with --headless, or start an X server (e.g. xvfb-run).");
            }
        }
        catch (DllNotFoundException ex)
        {
            Interlocked.Decrement(ref _glfwUsers);
            throw new GpuUnavailableException("libglfw.so.3 is missing: install the Debian package libglfw3 (scripts/bootstrap.sh does), or run with --headless.", ex);
        }
    }

    private static void Release()
    {
        if (Interlocked.Decrement(ref _glfwUsers) == 0)
        {
            glfwTerminate();
        }
    }

    private static string LastError()
    {
        int code = glfwGetError(out nint description);
        return code == GLFW_NO_ERROR ? "no error reported" : Marshal.PtrToStringUTF8(description) ?? $"GLFW error 0x{code:X}";
    }

    private static HostKey KeyOf(int glfwKey) => glfwKey switch
    {
        GLFW_KEY_SPACE => HostKey.Space,
        GLFW_KEY_ESCAPE => HostKey.Escape,
        GLFW_KEY_C => HostKey.C,
        GLFW_KEY_F => HostKey.F,
        GLFW_KEY_H => HostKey.H,
        GLFW_KEY_M => HostKey.M,
        GLFW_KEY_Q => HostKey.Q,
        GLFW_KEY_S => HostKey.S,
        GLFW_KEY_V => HostKey.V,
        GLFW_KEY_F11 => HostKey.F11,
        _ => HostKey.Unknown,
    };

    private static KeyModifiers ModifiersOf(int glfwMods) =>
        ((glfwMods & GLFW_MOD_SHIFT) != 0 ? KeyModifiers.Shift : KeyModifiers.None)
        | ((glfwMods & GLFW_MOD_CONTROL) != 0 ? KeyModifiers.Control : KeyModifiers.None)
        | ((glfwMods & GLFW_MOD_ALT) != 0 ? KeyModifiers.Alt : KeyModifiers.None);

    private void OnFramebufferSize(int width, int height) => Guarded(() =>
    {
        _width = width;
        _height = height;
        RaiseResize(width, height);
    });

    private void Guarded(Action action)
    {
        try
        {
            action();
        }
        catch (Exception ex)
        {
            _callbackFailure ??= ex;
        }
    }

    /// <summary>The context GLFW made current for the window.</summary>
    private sealed class GlfwContext : IGlContext
    {
        public GlfwContext()
        {
            Gl = GL.GetApi(name => glfwGetProcAddress(name));
            try
            {
                Capabilities = GlCapabilities.Probe(Gl, "window");
            }
            catch
            {
                Gl.Dispose();
                throw;
            }
        }

        public GL Gl { get; }

        public GlCapabilities Capabilities { get; }

        public nint GetProcAddress(string name) => glfwGetProcAddress(name);

        public void Dispose() => Gl.Dispose();
    }
}
