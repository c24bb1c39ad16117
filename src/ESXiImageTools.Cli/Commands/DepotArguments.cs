using System;
using System.Collections.Generic;
using System.Globalization;
using ESXiImageTools.Core.Depots;

namespace ESXiImageTools.Cli.Commands;

/// <summary>The depot options shared by <c>packages</c>, <c>profiles</c> and <c>inspect</c>: sources, proxy, timeout, cache.</summary>
internal static class DepotArguments
{
    public static readonly string[] ValueOptions = { "depot", "proxy", "timeout", "cache-dir" };
    public static readonly string[] Flags = { "no-proxy" };

    /// <summary>Largest --timeout accepted: one day.</summary>
    public const double MaxTimeoutSeconds = 86400;

    public static readonly string Usage =
        "  --depot <src>      offline bundle zip, wrapped zip, .vib, folder, or index.xml / vmw-depot-index.xml URL (repeatable)\n" +
        "  --proxy <url>      HTTP proxy (default: HTTPS_PROXY / NO_PROXY, else the system proxy); --no-proxy connects directly\n" +
        $"  --timeout <sec>    longest wait for a response or for more data, in seconds (default {DepotOptions.Default.Timeout.TotalSeconds:0}); a file that keeps\n" +
        $"                     failing is retried until a deadline of {DepotOptions.Default.Deadline.TotalSeconds:0} s, so a stalled server fails within about {(DepotOptions.Default.Deadline + DepotOptions.Default.Timeout).TotalSeconds:0} s;\n" +
        $"                     the deadline bounds each file's whole download (plus time for its size at {DepotOptions.Default.MinimumBytesPerSecond / 1024} KiB/s), so a trickling server is cut off too\n" +
        "  --cache-dir <dir>  download cache (default: per-user cache folder)";

    public static DepotOptions Options(CliArguments args, CliContext context)
    {
        var o = new DepotOptions();
        var proxy = args.Value("proxy");
        if (proxy != null)
        {
            if (!Uri.TryCreate(proxy, UriKind.Absolute, out var p)) throw new CliUsageException($"--proxy '{proxy}' is not a URL");
            o = o with { Proxy = p };
        }
        if (args.Flag("no-proxy")) o = o with { UseProxy = false };
        var timeout = args.Value("timeout");
        if (timeout != null)
        {
            // NaN, infinities and huge values would overflow the timers (CancelAfter takes at most ~24.8 days).
            if (!double.TryParse(timeout, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) || double.IsNaN(s) || s <= 0 || s > MaxTimeoutSeconds)
                throw new CliUsageException($"--timeout '{timeout}' is not a number of seconds between 0 and {MaxTimeoutSeconds}");
            o = o with { Timeout = TimeSpan.FromSeconds(s) };
        }
        var cache = args.Value("cache-dir");
        if (cache != null) o = o with { CacheDirectory = context.ResolvePath(cache) };
        return o;
    }

    /// <summary>Opens every --depot (and the given extra sources) into a new session.</summary>
    public static DepotSession Session(CliArguments args, CliContext context, IEnumerable<string> extraSources = null)
    {
        var options = Options(args, context);
        var session = new DepotSession(options);
        var sources = new List<string>(args.Values("depot"));
        if (extraSources != null) sources.AddRange(extraSources);
        if (sources.Count == 0) throw new CliUsageException("give at least one --depot");
        foreach (var s in sources)
        {
            context.Cancellation.ThrowIfCancellationRequested();
            session.Add(context.ResolveDepotSource(s), options, null, context.Cancellation);
        }
        return session;
    }
}
