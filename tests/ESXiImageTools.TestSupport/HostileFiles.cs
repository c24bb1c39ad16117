using System;
using System.IO;

namespace ESXiImageTools.TestSupport;

/// <summary>Special files for hostile-input tests, made at test time through the system's own tools.</summary>
public static class HostileFiles
{
    /// <summary>Makes a FIFO (named pipe) at <paramref name="path"/> with mkfifo(1).</summary>
    public static string Fifo(string path)
    {
        var r = ExternalTools.Run(ExternalTools.Find("mkfifo") ?? "mkfifo", "\"" + path + "\"", 10_000);
        if (r.ExitCode != 0) throw new InvalidOperationException("mkfifo failed: " + r.Stderr);
        return path;
    }

    /// <summary>Makes a symbolic link at <paramref name="path"/> to <paramref name="target"/> with ln(1) (any target framework).</summary>
    public static string Symlink(string path, string target)
    {
        var r = ExternalTools.Run(ExternalTools.Find("ln") ?? "ln", "-s \"" + target + "\" \"" + path + "\"", 10_000);
        if (r.ExitCode != 0) throw new InvalidOperationException("ln -s failed: " + r.Stderr);
        return path;
    }
}
