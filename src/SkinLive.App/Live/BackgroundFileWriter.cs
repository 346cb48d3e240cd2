using SkinLive.Storage;

namespace SkinLive.App.Live;

/// <summary>
/// Appends bytes to a file from the render thread without touching the disk there: <see cref="Write"/> copies
/// into a fixed ring buffer and a writer thread drains it to the file. If the disk falls behind by the whole
/// ring, the write is refused and counted (<see cref="DroppedBytes"/>); a failing disk sets
/// <see cref="Failure"/> and later writes are dropped, never thrown.
/// </summary>
public sealed class BackgroundFileWriter : IDisposable
{
    private readonly byte[] _ring;
    private readonly FileStream _file;
    private readonly Thread _thread;
    private readonly object _gate = new();
    private long _head;
    private long _tail;
    private bool _closing;

    public BackgroundFileWriter(string path, int capacityBytes = 4 << 20)
    {
        OwnerOnlyDirectory.CreateFor(path);
        _file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16);
        _ring = new byte[capacityBytes];
        _thread = new Thread(Drain) { IsBackground = true, Name = $"writer: {Path.GetFileName(path)}" };
        _thread.Start();
    }

    public long DroppedBytes { get; private set; }

    public string? Failure { get; private set; }

    /// <summary>Queues <paramref name="data"/> whole, or drops it whole when the ring lacks room.</summary>
    public bool Write(ReadOnlySpan<byte> data)
    {
        lock (_gate)
        {
            if (Failure is not null || _closing || data.Length > _ring.Length - (_head - _tail))
            {
                DroppedBytes += data.Length;
                return false;
            }

            int start = (int)(_head % _ring.Length);
            int first = Math.Min(data.Length, _ring.Length - start);
            data[..first].CopyTo(_ring.AsSpan(start));
            data[first..].CopyTo(_ring);
            _head += data.Length;
            Monitor.Pulse(_gate);
            return true;
        }
    }

    /// <summary>Writes what is queued and closes the file.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_closing)
            {
                return;
            }

            _closing = true;
            Monitor.Pulse(_gate);
        }

        _thread.Join();
        try
        {
            _file.Dispose();
        }
        catch (IOException ex)
        {
            Failure ??= ex.Message;
        }
    }

    private void Drain()
    {
        while (true)
        {
            int start, length;
            lock (_gate)
            {
                while (_head == _tail && !_closing)
                {
                    Monitor.Wait(_gate);
                }

                if (_head == _tail)
                {
                    break;
                }

                start = (int)(_tail % _ring.Length);
                length = (int)Math.Min(_head - _tail, _ring.Length - start);
            }

            try
            {
                _file.Write(_ring, start, length);
            }
            catch (IOException ex)
            {
                lock (_gate)
                {
                    Failure ??= ex.Message;
                }
            }

            lock (_gate)
            {
                _tail += length;
            }
        }

        try
        {
            _file.Flush();
        }
        catch (IOException ex)
        {
            Failure ??= ex.Message;
        }
    }
}
