using System.Runtime.InteropServices;

namespace SkinLive.Platform;

/// <summary>The GLFW 3.3 entry points and constants SkinLive uses (libglfw.so.3, Debian libglfw3).</summary>
public static unsafe partial class NativeGlfw
{
    public const string Library = "libglfw.so.3";

    public const int GLFW_TRUE = 1;
    public const int GLFW_FALSE = 0;
    public const int GLFW_PRESS = 1;
    public const int GLFW_RELEASE = 0;
    public const int GLFW_REPEAT = 2;
    public const int GLFW_CLIENT_API = 0x00022001;
    public const int GLFW_OPENGL_ES_API = 0x00030002;
    public const int GLFW_CONTEXT_VERSION_MAJOR = 0x00022002;
    public const int GLFW_CONTEXT_VERSION_MINOR = 0x00022003;
    public const int GLFW_VISIBLE = 0x00020004;
    public const int GLFW_RESIZABLE = 0x00020003;
    public const int GLFW_NO_ERROR = 0;
    public const int GLFW_CURSOR = 0x00033001;
    public const int GLFW_CURSOR_NORMAL = 0x00034001;
    public const int GLFW_CURSOR_HIDDEN = 0x00034002;
    public const int GLFW_MOD_SHIFT = 0x0001;
    public const int GLFW_MOD_CONTROL = 0x0002;
    public const int GLFW_MOD_ALT = 0x0004;

    public const int GLFW_KEY_SPACE = 32;
    public const int GLFW_KEY_ESCAPE = 256;
    public const int GLFW_KEY_ENTER = 257;
    public const int GLFW_KEY_F11 = 300;
    public const int GLFW_KEY_F = 70;
    public const int GLFW_KEY_Q = 81;
    public const int GLFW_KEY_S = 83;
    public const int GLFW_KEY_R = 82;
    public const int GLFW_KEY_H = 72;
    public const int GLFW_KEY_V = 86;
    public const int GLFW_KEY_C = 67;
    public const int GLFW_KEY_M = 77;

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    public delegate void ErrorCallback(int code, nint description);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    public delegate void SizeCallback(nint window, int width, int height);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    public delegate void KeyCallback(nint window, int key, int scancode, int action, int mods);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    public delegate void MouseButtonCallback(nint window, int button, int action, int mods);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    public delegate void CursorPosCallback(nint window, double x, double y);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    public delegate void ScrollCallback(nint window, double x, double y);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    public delegate void WindowCloseCallback(nint window);

    [LibraryImport(Library)]
    public static partial int glfwInit();

    [LibraryImport(Library)]
    public static partial void glfwTerminate();

    [LibraryImport(Library)]
    public static partial int glfwGetError(out nint description);

    [LibraryImport(Library)]
    public static partial nint glfwSetErrorCallback(ErrorCallback? callback);

    [LibraryImport(Library)]
    public static partial void glfwDefaultWindowHints();

    [LibraryImport(Library)]
    public static partial void glfwWindowHint(int hint, int value);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint glfwCreateWindow(int width, int height, string title, nint monitor, nint share);

    [LibraryImport(Library)]
    public static partial void glfwDestroyWindow(nint window);

    [LibraryImport(Library)]
    public static partial void glfwMakeContextCurrent(nint window);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint glfwGetProcAddress(string name);

    [LibraryImport(Library)]
    public static partial void glfwSwapInterval(int interval);

    [LibraryImport(Library)]
    public static partial void glfwSwapBuffers(nint window);

    [LibraryImport(Library)]
    public static partial void glfwPollEvents();

    [LibraryImport(Library)]
    public static partial int glfwWindowShouldClose(nint window);

    [LibraryImport(Library)]
    public static partial void glfwSetWindowShouldClose(nint window, int value);

    [LibraryImport(Library)]
    public static partial void glfwGetFramebufferSize(nint window, out int width, out int height);

    [LibraryImport(Library)]
    public static partial void glfwGetWindowSize(nint window, out int width, out int height);

    [LibraryImport(Library)]
    public static partial void glfwGetWindowPos(nint window, out int x, out int y);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial void glfwSetWindowTitle(nint window, string title);

    [LibraryImport(Library)]
    public static partial void glfwSetInputMode(nint window, int mode, int value);

    [LibraryImport(Library)]
    public static partial nint glfwGetPrimaryMonitor();

    [LibraryImport(Library)]
    public static partial nint glfwGetVideoMode(nint monitor);

    [LibraryImport(Library)]
    public static partial nint glfwGetWindowMonitor(nint window);

    [LibraryImport(Library)]
    public static partial void glfwSetWindowMonitor(nint window, nint monitor, int x, int y, int width, int height, int refreshRate);

    [LibraryImport(Library)]
    public static partial nint glfwSetFramebufferSizeCallback(nint window, SizeCallback? callback);

    [LibraryImport(Library)]
    public static partial nint glfwSetWindowSizeCallback(nint window, SizeCallback? callback);

    [LibraryImport(Library)]
    public static partial nint glfwSetKeyCallback(nint window, KeyCallback? callback);

    [LibraryImport(Library)]
    public static partial nint glfwSetMouseButtonCallback(nint window, MouseButtonCallback? callback);

    [LibraryImport(Library)]
    public static partial nint glfwSetCursorPosCallback(nint window, CursorPosCallback? callback);

    [LibraryImport(Library)]
    public static partial nint glfwSetScrollCallback(nint window, ScrollCallback? callback);

    [LibraryImport(Library)]
    public static partial nint glfwSetWindowCloseCallback(nint window, WindowCloseCallback? callback);

    /// <summary>GLFWvidmode: width, height, red/green/blue bits, refresh rate.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct GLFWvidmode
    {
        public int width;
        public int height;
        public int redBits;
        public int greenBits;
        public int blueBits;
        public int refreshRate;
    }
}
