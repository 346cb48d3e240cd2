using System.Runtime.InteropServices;

namespace SkinLive.Platform;

/// <summary>EGL 1.5 entry points and constants used for headless GLES contexts (libEGL.so.1, Debian libegl1).</summary>
public static unsafe partial class NativeEgl
{
    public const string Library = "libEGL.so.1";

    public const int EGL_SUCCESS = 0x3000;
    public const int EGL_NONE = 0x3038;
    public const int EGL_RED_SIZE = 0x3024;
    public const int EGL_GREEN_SIZE = 0x3023;
    public const int EGL_BLUE_SIZE = 0x3022;
    public const int EGL_ALPHA_SIZE = 0x3021;
    public const int EGL_SURFACE_TYPE = 0x3033;
    public const int EGL_RENDERABLE_TYPE = 0x3040;
    public const int EGL_OPENGL_ES3_BIT = 0x0040;
    public const int EGL_PBUFFER_BIT = 0x0001;
    public const int EGL_OPENGL_ES_API = 0x30A0;
    public const int EGL_CONTEXT_MAJOR_VERSION = 0x3098;
    public const int EGL_CONTEXT_MINOR_VERSION = 0x30FB;
    public const int EGL_VENDOR = 0x3053;
    public const int EGL_VERSION = 0x3054;
    public const int EGL_EXTENSIONS = 0x3055;
    public const int EGL_PLATFORM_SURFACELESS_MESA = 0x31DD;
    public const int EGL_PLATFORM_DEVICE_EXT = 0x313F;

    [LibraryImport(Library)]
    public static partial nint eglGetProcAddress([MarshalAs(UnmanagedType.LPStr)] string name);

    [LibraryImport(Library)]
    public static partial nint eglQueryString(nint display, int name);

    [LibraryImport(Library)]
    public static partial int eglGetError();

    [LibraryImport(Library)]
    [return: MarshalAs(UnmanagedType.U4)]
    public static partial bool eglInitialize(nint display, out int major, out int minor);

    [LibraryImport(Library)]
    [return: MarshalAs(UnmanagedType.U4)]
    public static partial bool eglTerminate(nint display);

    [LibraryImport(Library)]
    [return: MarshalAs(UnmanagedType.U4)]
    public static partial bool eglBindAPI(int api);

    [LibraryImport(Library)]
    [return: MarshalAs(UnmanagedType.U4)]
    public static partial bool eglChooseConfig(nint display, int* attributes, nint* configs, int configSize, out int configCount);

    [LibraryImport(Library)]
    public static partial nint eglCreateContext(nint display, nint config, nint shareContext, int* attributes);

    [LibraryImport(Library)]
    [return: MarshalAs(UnmanagedType.U4)]
    public static partial bool eglDestroyContext(nint display, nint context);

    [LibraryImport(Library)]
    [return: MarshalAs(UnmanagedType.U4)]
    public static partial bool eglMakeCurrent(nint display, nint draw, nint read, nint context);

    [LibraryImport(Library)]
    [return: MarshalAs(UnmanagedType.U4)]
    public static partial bool eglReleaseThread();

    /// <summary>eglGetPlatformDisplayEXT, resolved through eglGetProcAddress (it is an extension entry point).</summary>
    public static nint GetPlatformDisplay(int platform, nint nativeDisplay)
    {
        nint proc = eglGetProcAddress("eglGetPlatformDisplayEXT");
        if (proc == 0)
        {
            return 0;
        }

        return ((delegate* unmanaged<int, nint, int*, nint>)proc)(platform, nativeDisplay, null);
    }

    /// <summary>eglQueryDevicesEXT (EGL_EXT_device_enumeration), for drivers without a surfaceless platform (NVIDIA).</summary>
    public static int QueryDevices(Span<nint> devices)
    {
        nint proc = eglGetProcAddress("eglQueryDevicesEXT");
        if (proc == 0)
        {
            return 0;
        }

        int count;
        fixed (nint* p = devices)
        {
            bool ok = ((delegate* unmanaged<int, nint*, int*, uint>)proc)(devices.Length, p, &count) != 0;
            return ok ? count : 0;
        }
    }
}
