using System.IO;

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
}
