using SharpFuzz;
using SkinLive.Fuzz;

// One AFL++ target per untrusted input. scripts/fuzz.sh TARGET MINUTES builds, instruments and runs them; outside
// afl-fuzz a target runs once on standard input, which is how a crasher is replayed. A target lets only its input's
// documented "bad input" outcome through (a false return or the reader's own exception); anything else escapes and
// afl-fuzz records it as a crash.
var targets = new Dictionary<string, Action<byte[]>>(StringComparer.Ordinal)
{
    ["jpeg"] = JpegTarget.Run,
    ["manifest"] = ManifestTarget.Run,
    ["config"] = ConfigTarget.Run,
    ["csv"] = CsvTarget.Run,
    ["v4l2"] = V4L2Target.Run,
};

if (args.Length != 1 || !targets.TryGetValue(args[0], out Action<byte[]>? target))
{
    Console.Error.WriteLine($"usage: SkinLive.Fuzz {string.Join('|', targets.Keys)}  (input on standard input, or under afl-fuzz)");
    return 2;
}

// Out of process: a native fault in libjpeg-turbo or a stack overflow is reported as a crash, not the fork server's death.
Fuzzer.OutOfProcess.Run(stream =>
{
    using var input = new MemoryStream();
    stream.CopyTo(input);
    target(input.ToArray());
});
return 0;
