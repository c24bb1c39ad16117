using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.TestSupport;

namespace ESXiImageTools.Core.Tests.Fuzzing;

/// <summary>One thing to fuzz: its seeds and what reading an input means (throwing an EsxException is fine).</summary>
public sealed record FuzzTarget(string Name, IReadOnlyList<byte[]> Seeds, Action<byte[], string> Run);

/// <summary>An input that escaped untyped (a crash) or ran past the per-input bound (a hang).</summary>
public sealed record FuzzFinding(string Target, long Iteration, string Kind, string What, string InputFile)
{
    public override string ToString() => $"{Target} #{Iteration} {Kind}: {What} (input: {InputFile})";
}

/// <summary>What a fuzz run did.</summary>
public sealed class FuzzReport
{
    public Dictionary<string, long> Executions { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, long> TypedErrors { get; } = new(StringComparer.Ordinal);
    public List<FuzzFinding> Findings { get; } = new();
    public long TotalExecutions => Executions.Values.Sum();
    public TimeSpan Elapsed { get; set; }

    public string Summary() =>
        $"{TotalExecutions} executions in {Elapsed.TotalSeconds:0.0} s, {Findings.Count} findings; per target: " +
        string.Join(", ", Executions.Select(kv => $"{kv.Key} {kv.Value} ({TypedErrors.GetValueOrDefault(kv.Key)} typed errors)"));
}

/// <summary>
/// Runs fuzz targets round-robin for a time budget. Input i of target t is the seed (i &lt; seed count) or a
/// mutation drawn from (run seed, t, i) alone, so any finding is reproduced by its iteration number. Each input
/// runs on its own thread with a generous time bound (a hang detector, not a performance check).
/// </summary>
public static class FuzzRunner
{
    public static FuzzReport Run(IReadOnlyList<FuzzTarget> targets, ulong seed, TimeSpan budget, TimeSpan perInputBound, string scratchDir, string findingsDir)
    {
        var report = new FuzzReport();
        foreach (var t in targets) { report.Executions[t.Name] = 0; report.TypedErrors[t.Name] = 0; }
        var clock = Stopwatch.StartNew();
        bool hung = false;
        while (clock.Elapsed < budget && !hung)
        {
            foreach (var t in targets)
            {
                if (clock.Elapsed >= budget || hung) break;
                long i = report.Executions[t.Name]++;
                var input = Input(t, seed, i);
                var dir = Path.Combine(scratchDir, t.Name);
                Directory.CreateDirectory(dir);
                var outcome = RunOne(t, input, dir, perInputBound);
                if (outcome == null) continue;
                if (outcome == Typed) { report.TypedErrors[t.Name]++; continue; }
                Directory.CreateDirectory(findingsDir);
                var file = Path.Combine(findingsDir, $"{t.Name}-{seed}-{i}.bin");
                File.WriteAllBytes(file, input);
                var kind = outcome.StartsWith("hang", StringComparison.Ordinal) ? "hang" : "crash";
                report.Findings.Add(new FuzzFinding(t.Name, i, kind, outcome, file));
                // A hung input keeps its thread busy; stop rather than pile more work on the machine.
                if (kind == "hang") hung = true;
            }
        }
        report.Elapsed = clock.Elapsed;
        return report;
    }

    /// <summary>The input for iteration <paramref name="i"/> of <paramref name="t"/>.</summary>
    public static byte[] Input(FuzzTarget t, ulong seed, long i)
    {
        if (i < t.Seeds.Count) return t.Seeds[(int)i];
        var rng = new FuzzRandom(FuzzRandom.Mix(seed, FuzzRandom.Hash(t.Name), (ulong)i));
        var baseSeed = t.Seeds[rng.Below(t.Seeds.Count)];
        return Mutator.Mutate(baseSeed, t.Seeds, rng);
    }

    private const string Typed = "typed";

    // null: read fine; "typed": a typed engine error; else a description of the finding.
    private static string RunOne(FuzzTarget t, byte[] input, string dir, TimeSpan bound)
    {
        var task = Task.Factory.StartNew(() => t.Run(input, dir), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        if (!((IAsyncResult)task).AsyncWaitHandle.WaitOne(bound))
            return $"hang: still running after {bound.TotalSeconds:0} s";
        if (!task.IsFaulted) return null;
        var e = task.Exception.InnerException;
        if (e is EsxException || e is OperationCanceledException) return Typed;
        // Under Mono only: its DeflateStream and ZipArchive report corrupt data as a bare IOException where the .NET
        // Framework and .NET throw InvalidDataException, which the engine types (MonoDefect.DeflateIOException and
        // MonoDefect.ZipArchiveIOException).
        if (TestRuntime.IsMono && e.GetType() == typeof(System.IO.IOException)
            && (e.Message.StartsWith("Corrupted data", StringComparison.Ordinal) || e.Message.StartsWith("Zip file corrupt", StringComparison.Ordinal))) return Typed;
        var frame = new StackTrace(e, false).GetFrames().FirstOrDefault(f => f.GetMethod()?.DeclaringType?.Namespace?.StartsWith("ESXiImageTools", StringComparison.Ordinal) == true);
        return $"{e.GetType().FullName}: {MessageText.OneLine(e)} at {frame?.GetMethod()?.DeclaringType?.Name}.{frame?.GetMethod()?.Name}";
    }
}
