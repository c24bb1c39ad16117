using System.IO;

namespace ESXiImageTools.Cli.Tests;

/// <summary>Runs <c>esximage</c> through <see cref="Program.Run"/> in a given folder and captures both streams.</summary>
internal static class CliRunner
{
    public static (int Code, string Out, string Err) Run(string cwd, params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = Program.Run(args, o, e, default, cwd);
        return (code, o.ToString(), e.ToString());
    }
}
