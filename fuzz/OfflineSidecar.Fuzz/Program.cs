using System.Diagnostics;
using System.Globalization;
using OfflineSidecar.Fuzz;

// offline-sidecar-fuzz afl                          under afl-fuzz (SharpFuzz-instrumented assemblies): one input per run
// offline-sidecar-fuzz generate [--seed N] [--iterations N | --seconds N] [--corpus DIR] [--findings DIR]
// offline-sidecar-fuzz replay FILE|DIR...           every finding kept in the repo, again
var launchDirectory = Directory.GetCurrentDirectory();
// Paths on the command line are the caller's: resolved before the working directory moves.
var arguments = args.Select(a => a.StartsWith('-') || !a.Contains('/') && !File.Exists(a) && !Directory.Exists(a) ? a : Path.GetFullPath(a, launchDirectory)).ToList();
var mode = arguments.Count > 0 ? arguments[0] : "";
var dataDir = Path.Combine(Path.GetTempPath(), $"offline-sidecar-fuzz-{Environment.ProcessId}");
Directory.CreateDirectory(dataDir);
// Requests naming relative paths (export, import) land here, not in the caller's directory.
Directory.SetCurrentDirectory(dataDir);
try
{
    return mode switch
    {
        "afl" => Afl(dataDir),
        "generate" => Generate(arguments, dataDir, launchDirectory),
        "replay" => Replay(arguments.Skip(1).ToList(), dataDir),
        _ => Usage(),
    };
}
finally
{
    try
    {
        Directory.Delete(dataDir, recursive: true);
    }
    catch (IOException)
    {
        // A temp directory; the OS cleans it.
    }
}

static int Usage()
{
    Console.Error.WriteLine("usage: OfflineSidecar.Fuzz afl | generate [--seed N] [--iterations N | --seconds N] [--corpus DIR] [--findings DIR] | replay FILE|DIR...");
    return 2;
}

static int Afl(string dataDir)
{
    SharpFuzz.Fuzzer.OutOfProcess.Run(stream =>
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        if (SidecarFuzzTarget.Run(buffer.ToArray(), dataDir) is { } finding)
        {
            throw new FuzzFinding(finding);
        }
    });
    return 0;
}

static int Generate(List<string> arguments, string dataDir, string launchDirectory)
{
    var seed = Option(arguments, "--seed") is { } s ? int.Parse(s, CultureInfo.InvariantCulture) : Environment.TickCount;
    var iterations = Option(arguments, "--iterations") is { } n ? int.Parse(n, CultureInfo.InvariantCulture) : int.MaxValue;
    var seconds = Option(arguments, "--seconds") is { } t ? double.Parse(t, CultureInfo.InvariantCulture) : double.PositiveInfinity;
    var corpusDir = Option(arguments, "--corpus") ?? Path.Combine(AppContext.BaseDirectory, "corpus");
    var findingsDir = Option(arguments, "--findings") ?? Path.Combine(launchDirectory, "findings");
    var corpus = Directory.GetFiles(corpusDir).Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToList();
    if (corpus.Count == 0)
    {
        Console.Error.WriteLine($"no corpus in {corpusDir}");
        return 2;
    }

    var mutator = new FrameMutator(seed);
    var clock = Stopwatch.StartNew();
    var findings = 0;
    var runs = 0;
    for (; runs < iterations && clock.Elapsed.TotalSeconds < seconds; runs++)
    {
        var input = mutator.Mutate(corpus);
        if (SidecarFuzzTarget.Run(input, dataDir) is not { } finding)
        {
            continue;
        }

        findings++;
        Directory.CreateDirectory(findingsDir);
        var file = Path.Combine(findingsDir, $"seed{seed}-run{runs}.bin");
        File.WriteAllBytes(file, input);
        Console.Out.WriteLine($"FINDING {file}: {finding}");
    }

    Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"fuzz: seed {seed}, {runs} inputs in {clock.Elapsed.TotalSeconds:F0} s ({runs / Math.Max(clock.Elapsed.TotalSeconds, 0.001):F0}/s), {findings} finding(s)"));
    return findings == 0 ? 0 : 1;
}

static int Replay(List<string> paths, string dataDir)
{
    var files = paths.SelectMany(p => Directory.Exists(p) ? Directory.GetFiles(p) : [p]).Order(StringComparer.Ordinal).ToList();
    var failed = 0;
    foreach (var file in files)
    {
        var finding = SidecarFuzzTarget.Run(File.ReadAllBytes(file), dataDir);
        Console.Out.WriteLine(finding is null ? $"ok   {file}" : $"FAIL {file}: {finding}");
        failed += finding is null ? 0 : 1;
    }

    Console.Out.WriteLine($"replay: {files.Count - failed} passed, {failed} failed");
    return failed == 0 ? 0 : 1;
}

static string? Option(List<string> arguments, string name) =>
    arguments.IndexOf(name) is var at and >= 0 && at + 1 < arguments.Count ? arguments[at + 1] : null;
