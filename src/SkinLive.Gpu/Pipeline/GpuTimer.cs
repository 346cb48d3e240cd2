using Silk.NET.OpenGL;
using SkinLive.Gpu.Platform;

namespace SkinLive.Gpu.Pipeline;

/// <summary>
/// GPU time of a span of commands via EXT_disjoint_timer_query, read back a few frames later without waiting
/// (a ring of queries, each polled for availability). Disabled, and <see cref="LastMilliseconds"/> stays NaN,
/// when the extension is missing.
/// </summary>
public sealed unsafe class GpuTimer : IDisposable
{
    private const GLEnum TimeElapsed = (GLEnum)0x88BF;
    private const GLEnum GpuDisjoint = (GLEnum)0x8FBB;
    private readonly GL _gl;
    private readonly uint[] _queries;
    private readonly delegate* unmanaged<uint, GLEnum, ulong*, void> _getResult64;
    private int _next;
    private int _pendingFirst;
    private int _pending;
    private bool _open;

    public GpuTimer(GL gl, IGlContext context, int ringSize = 4)
    {
        _gl = gl;
        _queries = new uint[ringSize];
        nint proc = context.Capabilities.TimerQueries ? context.GetProcAddress("glGetQueryObjectui64vEXT") : 0;
        _getResult64 = (delegate* unmanaged<uint, GLEnum, ulong*, void>)proc;
        if (proc != 0)
        {
            gl.GenQueries((uint)ringSize, _queries);
            GlObjectCounts.Of(gl).Created(GlObjectKind.Query, ringSize);
        }
    }

    public bool Available => _getResult64 != null;

    public double LastMilliseconds { get; private set; } = double.NaN;

    public double TotalMilliseconds { get; private set; }

    public long Samples { get; private set; }

    /// <summary>Starts timing, unless all queries are still pending (then this frame is not timed).</summary>
    public void Begin()
    {
        if (!Available || _pending == _queries.Length)
        {
            return;
        }

        _gl.BeginQuery((QueryTarget)TimeElapsed, _queries[_next]);
        _open = true;
    }

    public void End()
    {
        if (!_open)
        {
            return;
        }

        _gl.EndQuery((QueryTarget)TimeElapsed);
        _open = false;
        _next = (_next + 1) % _queries.Length;
        _pending++;
    }

    /// <summary>Collects finished queries without waiting.</summary>
    public void Poll()
    {
        while (_pending > 0)
        {
            uint query = _queries[_pendingFirst];
            _gl.GetQueryObject(query, QueryObjectParameterName.ResultAvailable, out uint available);
            if (available == 0)
            {
                return;
            }

            ulong nanoseconds;
            _getResult64(query, (GLEnum)QueryObjectParameterName.Result, &nanoseconds);
            _gl.GetInteger((GetPName)GpuDisjoint, out int disjoint);
            if (disjoint == 0)
            {
                LastMilliseconds = nanoseconds / 1e6;
                TotalMilliseconds += LastMilliseconds;
                Samples++;
            }

            _pendingFirst = (_pendingFirst + 1) % _queries.Length;
            _pending--;
        }
    }

    public void Dispose()
    {
        if (Available && _queries[0] != 0)
        {
            _gl.DeleteQueries((uint)_queries.Length, _queries);
            GlObjectCounts.Of(_gl).Deleted(GlObjectKind.Query, _queries.Length);
            Array.Clear(_queries);
        }
    }
}
