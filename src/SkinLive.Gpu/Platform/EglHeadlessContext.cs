using Silk.NET.OpenGL;
using static SkinLive.Platform.NativeEgl;

namespace SkinLive.Gpu.Platform;

/// <summary>
/// A GLES 3 context with no window: Mesa's surfaceless platform (llvmpipe or a real GPU), or on drivers without
/// it (NVIDIA) the first EGL device. Rendering goes to framebuffer objects only.
/// </summary>
public sealed unsafe class EglHeadlessContext : IGlContext
{
    // EGL hands out one display per platform and process; every context shares it, so it is initialized once
    // and terminated only when the last context goes (terminating it under a live context would kill that one).
    private static readonly object DisplayGate = new();
    private static int _displayUsers;
    private nint _display;
    private nint _context;

    private EglHeadlessContext(nint display, nint context, GL gl, GlCapabilities capabilities)
    {
        _display = display;
        _context = context;
        Gl = gl;
        Capabilities = capabilities;
    }

    public GL Gl { get; }

    public GlCapabilities Capabilities { get; }

    public nint GetProcAddress(string name) => eglGetProcAddress(name);

    /// <summary>Creates the context and makes it current on the calling thread.</summary>
    public static EglHeadlessContext Create()
    {
        lock (DisplayGate)
        {
            nint display = AcquireDisplay();
            try
            {
                return CreateOn(display);
            }
            catch
            {
                ReleaseDisplay(display);
                throw;
            }
        }
    }

    public void Dispose()
    {
        if (_context == 0)
        {
            return;
        }

        Gl.Dispose();
        lock (DisplayGate)
        {
            eglMakeCurrent(_display, 0, 0, 0);
            eglDestroyContext(_display, _context);
            eglReleaseThread();
            ReleaseDisplay(_display);
        }

        _context = 0;
        _display = 0;
    }

    private static nint AcquireDisplay()
    {
        nint display;
        try
        {
            display = OpenDisplay();
        }
        catch (DllNotFoundException ex)
        {
            throw new GpuUnavailableException("libEGL.so.1 is missing: install the Debian packages libegl1 and libegl-mesa0 (scripts/bootstrap.sh does).", ex);
        }

        if (display == 0 || !eglInitialize(display, out _, out _))
        {
            throw new GpuUnavailableException($"EGL could not open a headless display (error 0x{eglGetError():X}); install libegl-mesa0 and libgl1-mesa-dri, or a GPU driver with EGL.");
        }

        _displayUsers++;
        return display;
    }

    private static void ReleaseDisplay(nint display)
    {
        if (--_displayUsers == 0)
        {
            eglTerminate(display);
        }
    }

    private static EglHeadlessContext CreateOn(nint display)
    {

        eglBindAPI(EGL_OPENGL_ES_API);
        nint config = ChooseConfig(display);
        nint context = CreateEs3Context(display, config);
        if (!eglMakeCurrent(display, 0, 0, context))
        {
            eglDestroyContext(display, context);
            throw new GpuUnavailableException($"EGL cannot make a context current without a surface (error 0x{eglGetError():X}); the driver lacks EGL_KHR_surfaceless_context.");
        }

        GL gl = GL.GetApi(name => eglGetProcAddress(name));
        try
        {
            return new EglHeadlessContext(display, context, gl, GlCapabilities.Probe(gl, "headless EGL"));
        }
        catch
        {
            gl.Dispose();
            eglMakeCurrent(display, 0, 0, 0);
            eglDestroyContext(display, context);
            throw;
        }
    }

    private static nint OpenDisplay()
    {
        nint display = GetPlatformDisplay(EGL_PLATFORM_SURFACELESS_MESA, 0);
        if (display != 0)
        {
            return display;
        }

        Span<nint> devices = stackalloc nint[8];
        int count = QueryDevices(devices);
        return count > 0 ? GetPlatformDisplay(EGL_PLATFORM_DEVICE_EXT, devices[0]) : 0;
    }

    private static nint ChooseConfig(nint display)
    {
        int* attributes = stackalloc int[]
        {
            EGL_RENDERABLE_TYPE, EGL_OPENGL_ES3_BIT,
            EGL_SURFACE_TYPE, 0,
            EGL_RED_SIZE, 8, EGL_GREEN_SIZE, 8, EGL_BLUE_SIZE, 8, EGL_ALPHA_SIZE, 8,
            EGL_NONE,
        };
        nint config;
        if (!eglChooseConfig(display, attributes, &config, 1, out int count) || count == 0)
        {
            string vendor = System.Runtime.InteropServices.Marshal.PtrToStringAnsi(eglQueryString(display, EGL_VENDOR)) ?? "the EGL driver";
            throw new GpuUnavailableException($"{vendor} offers no OpenGL ES 3 configuration; SkinLive needs GLES 3.0 or later.");
        }

        return config;
    }

    private static nint CreateEs3Context(nint display, nint config)
    {
        int* attributes = stackalloc int[] { EGL_CONTEXT_MAJOR_VERSION, 3, EGL_CONTEXT_MINOR_VERSION, 0, EGL_NONE };
        foreach (int minor in (ReadOnlySpan<int>)[2, 1, 0])
        {
            attributes[3] = minor;
            nint context = eglCreateContext(display, config, 0, attributes);
            if (context != 0)
            {
                return context;
            }
        }

        throw new GpuUnavailableException("EGL could not create an OpenGL ES 3.x context.");
    }
}
