using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using Xunit;

namespace ESXiImageTools.Cli.Tests;

/// <summary>Runs <c>esximage</c> through <see cref="Program.Run"/> and captures both streams: the one runner of the CLI tests.</summary>
internal static class CliRunner
{
    /// <summary>Runs in <paramref name="cwd"/> (null: the process's current folder).</summary>
    public static (int Code, string Out, string Err) Run(string cwd, params string[] args) => Run(new StringWriter(), cwd, args);

    /// <summary>Runs in the process's current folder.</summary>
    public static (int Code, string Out, string Err) RunHere(params string[] args) => Run(new StringWriter(), null, args);

    /// <summary>Runs in <paramref name="cwd"/> with the clock reading <paramref name="now"/>.</summary>
    public static (int Code, string Out, string Err) RunAt(System.DateTimeOffset now, string cwd, params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = Program.Run(args, new CliContext(o, e, default, cwd) { Clock = () => now });
        return (code, o.ToString(), e.ToString());
    }

    /// <summary>Runs with a given standard output (e.g. one that fails to write).</summary>
    public static (int Code, string Out, string Err) Run(TextWriter stdout, string cwd, params string[] args)
    {
        var e = new StringWriter();
        int code = Program.Run(args, stdout, e, default, cwd);
        return (code, stdout.ToString(), e.ToString());
    }

    /// <summary>The host that runs esximage.dll in a process of its own.</summary>
    public static string DotnetHost => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";

    /// <summary>
    /// Runs <paramref name="command"/> (program, then its leading arguments: e.g. dotnet and esximage.dll) with
    /// <paramref name="args"/> in a process of its own, with <paramref name="environment"/> added, and captures both
    /// streams; a run past two minutes is killed and fails the test.
    /// </summary>
    public static (int Code, string Out, string Err) RunProcess(IReadOnlyList<string> command, IEnumerable<string> args,
                                                                IReadOnlyDictionary<string, string> environment = null, string workDir = null)
    {
        var psi = new ProcessStartInfo(command[0]) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        if (workDir != null) psi.WorkingDirectory = workDir;
        for (int i = 1; i < command.Count; i++) psi.ArgumentList.Add(command[i]);
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (environment != null) foreach (var (k, v) in environment) psi.Environment[k] = v;
        using var p = Process.Start(psi);
        var err = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEndAsync();
        if (!p.WaitForExit(120_000)) { p.Kill(entireProcessTree: true); Assert.Fail(command[0] + " did not finish: " + err.Result); }
        p.WaitForExit();
        return (p.ExitCode, output.Result, err.Result);
    }
}
