using System;
using System.Diagnostics;
using System.IO;
using ESXiImageTools.Core.Export;

namespace ESXiImageTools.Cli;

/// <summary>
/// A one-line progress bar on stderr for long exports. On a terminal it redraws in place at most ten times a
/// second; when stderr is redirected (CI logs) it prints each phase once, so logs stay readable.
/// </summary>
public sealed class CliProgress : IProgress<ExportProgress>
{
    private readonly TextWriter _w;
    private readonly bool _interactive;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _lastDraw = -1000;
    private string _lastPhase;
    private bool _drawn;

    public CliProgress(TextWriter stderr, bool interactive)
    {
        _w = stderr;
        _interactive = interactive;
    }

    public void Report(ExportProgress value)
    {
        if (value.Phase != _lastPhase)
        {
            if (_drawn) { _w.WriteLine(); _drawn = false; }
            if (!_interactive) _w.WriteLine(value.Phase + "...");
            _lastPhase = value.Phase;
        }
        if (!_interactive) return;
        long now = _clock.ElapsedMilliseconds;
        bool done = value.BytesTotal > 0 && value.BytesDone >= value.BytesTotal;
        if (now - _lastDraw < 100 && !done) return;
        _lastDraw = now;
        const int width = 30;
        int filled = value.BytesTotal > 0 ? (int)(width * Math.Min(1.0, (double)value.BytesDone / value.BytesTotal)) : 0;
        var item = value.CurrentItem ?? "";
        if (item.Length > 40) item = "…" + item.Substring(item.Length - 39);
        _w.Write($"\r{value.Phase} [{new string('#', filled)}{new string(' ', width - filled)}] {value.Percent,3}% {Mib(value.BytesDone)}/{Mib(value.BytesTotal)} MiB {item,-40}");
        _drawn = true;
    }

    /// <summary>Ends the bar's line.</summary>
    public void Finish()
    {
        if (_drawn) { _w.WriteLine(); _drawn = false; }
    }

    private static string Mib(long bytes) => (bytes / 1048576.0).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);
}
