using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using ESXiImageTools.Core.Depots;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.IO;

namespace ESXiImageTools.Infrastructure;

/// <summary>
/// Base of ImageBuilder's ESXi 7.0+ depot cmdlets (Get-Depot*, New-IsoImage, New-PxeImage): they name their depots by
/// path or URL on each call instead of using the session's added depots. The depots are read into a private session
/// that ends with the command, as ImageBuilder's do; the module session is left as it is.
/// </summary>
public abstract class DepotSourceCmdlet : EsxCmdlet
{
    /// <summary>Reads every source (PowerShell paths resolved, wildcards expanded; URLs as they are) into a new session.</summary>
    internal DepotSession OpenDepots(IEnumerable<string> sources)
    {
        var session = new DepotSession();
        foreach (var source in Resolve(sources))
        {
            var depot = RunWithProgress<Depot, DepotProgress>("Reading depot " + source,
                (progress, token) => DepotReader.Open(source, DepotOptions.Default, progress, token), DepotProgressText.Describe);
            session.Add(depot);
        }
        if (session.Depots.Count == 0)
            ThrowTerminatingError(EsxErrors.Create(ErrorCodes.FileNotFound, ErrorCategory.ObjectNotFound,
                "no depot could be read from " + string.Join(", ", sources), string.Join(", ", sources)));
        return session;
    }

    /// <summary>Runs <paramref name="work"/>; an engine error ends the command with that error (one result, nothing to go on with).</summary>
    internal void RunOrThrow(Action work, object target)
    {
        try
        {
            work();
        }
        catch (EsxException e)
        {
            ThrowEsxError(e, string.IsNullOrEmpty(e.Target) ? target : null);
        }
    }

    private IEnumerable<string> Resolve(IEnumerable<string> sources)
    {
        foreach (var s in sources ?? Enumerable.Empty<string>())
        {
            // URLs and ImageBuilder's "zip:<path>?index.xml" form go to the engine as they are.
            if (IsUrl(s) || s.StartsWith("zip:", StringComparison.OrdinalIgnoreCase)) yield return s;
            else foreach (var resolved in ResolveExistingPaths(new[] { s }, literal: false)) yield return resolved;
        }
    }

    /// <summary>Whether any of <paramref name="values"/> matches any of <paramref name="patterns"/> (wildcards; null or empty matches all).</summary>
    internal static bool Matches(string[] patterns, params string[] values)
        => patterns == null || patterns.Length == 0 || patterns.Any(p => values.Any(v => v != null && Wildcard.IsMatch(p, v)));
}
