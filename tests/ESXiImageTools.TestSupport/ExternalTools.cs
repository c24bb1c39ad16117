using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using Xunit;

namespace ESXiImageTools.TestSupport;

/// <summary>Independent programs (xorriso, isoinfo, 7z, qemu) used as test oracles.</summary>
public static class ExternalTools
{
    public static string Find(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(System.IO.Path.PathSeparator))
        {
            if (dir.Length == 0) continue;
            var p = System.IO.Path.Combine(dir, name);
            if (File.Exists(p)) return p;
        }
        return null;
    }

    public static bool Has(params string[] names) => names.All(n => Find(n) != null);

    /// <summary>
    /// The skip reason of a test whose requirements are <paramref name="missing"/>: null when nothing is missing,
    /// and null under CI, where .ci/run installs them and a missing one must fail the test instead.
    /// </summary>
    public static string SkipReason(System.Collections.Generic.IReadOnlyCollection<string> missing)
        => missing.Count == 0 || Ci.IsCi ? null : "needs " + string.Join(", ", missing) + " (Debian packages that .ci/run installs; not on this machine)";

    /// <summary>Runs a program and returns (exit code, stdout, stderr); kills it after the timeout.</summary>
    public static (int ExitCode, string Stdout, string Stderr) Run(string program, string args, int timeoutMs = 120_000, string workDir = null)
    {
        var psi = new ProcessStartInfo(program, args)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workDir ?? Environment.CurrentDirectory,
        };
        using var p = Process.Start(psi);
        var so = new StringBuilder();
        var se = new StringBuilder();
        p.OutputDataReceived += (_, e) => { if (e.Data != null) lock (so) so.AppendLine(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (se) se.AppendLine(e.Data); };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        if (!p.WaitForExit(timeoutMs))
        {
            try { p.Kill(entireProcessTree: true); } catch { }
            p.WaitForExit();
            return (124, so.ToString(), se.ToString());
        }
        p.WaitForExit();
        return (p.ExitCode, so.ToString(), se.ToString());
    }
}

/// <summary>A fact that needs external programs. Skipped with the reason on a machine without them,
/// except under CI (CI=true), where .ci/run installs them and a missing tool must fail the test.</summary>
public sealed class ToolFactAttribute : FactAttribute
{
    public ToolFactAttribute(params string[] tools)
    {
        Skip = ExternalTools.SkipReason(tools.Where(t => ExternalTools.Find(t) == null).ToArray());
    }
}

/// <summary>A temporary folder deleted at dispose.</summary>
public sealed class TempDir : IDisposable
{
    public string Path { get; }

    public TempDir(string prefix = "esxit")
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), prefix + "-" + Guid.NewGuid().ToString("N").Substring(0, 10));
        Directory.CreateDirectory(Path);
    }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, true); }
        catch when (System.IO.Path.DirectorySeparatorChar == '/' && Directory.Exists(Path))
        {
            // A name that is not valid UTF-8 (the hostile-source tests make one) cannot be deleted by .NET: rm can.
            try { ExternalTools.Run("rm", $"-rf \"{Path}\"", 30_000); } catch { }
        }
        catch { }
    }
}
