using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using ESXiImageTools.Core.Depots;

namespace ESXiImageTools.Infrastructure;

/// <summary>
/// Finds the session's depots a string names, taking back every form a user was given or typed: a path relative to
/// PowerShell's current location (<c>.\x.zip</c>, <c>x.zip</c>), a full path, the bare file name, the DepotUrl
/// (<c>zip:&lt;path&gt;?index.xml</c>), a URL, or a wildcard pattern. Used by Remove-EsxDepot and -Depot parameters.
/// </summary>
internal static class DepotLookup
{
    /// <summary>The depots <paramref name="source"/> names; empty when none.</summary>
    public static IReadOnlyList<Depot> Find(DepotSession depots, SessionState state, string source)
    {
        var full = ToFullPath(state, source);
        if (full != null)
        {
            var hit = depots.Find(full);
            if (hit.Count > 0) return hit;
        }
        return depots.Find(source);
    }

    /// <summary>
    /// A local path (also inside the zip: form) made absolute against PowerShell's current location; null for URLs,
    /// wildcard patterns and anything that is not a file system path.
    /// </summary>
    public static string ToFullPath(SessionState state, string source)
    {
        if (string.IsNullOrWhiteSpace(source)) return null;
        if (source.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || source.StartsWith("https://", StringComparison.OrdinalIgnoreCase)) return null;
        var zipPath = DepotReader.ZipFormPath(source);
        var path = zipPath ?? source;
        if (zipPath == null && WildcardPattern.ContainsWildcardCharacters(path)) return null;
        try
        {
            var resolved = state.Path.GetUnresolvedProviderPathFromPSPath(path, out var provider, out _);
            if (provider.ImplementingType != typeof(Microsoft.PowerShell.Commands.FileSystemProvider)) return null;
            return zipPath == null ? resolved : "zip:" + resolved + source.Substring(4 + zipPath.Length);
        }
        catch (Exception e) when (e is ArgumentException || e is NotSupportedException || e is PathTooLongException
                                  || e is ProviderNotFoundException || e is System.Management.Automation.DriveNotFoundException || e is PSInvalidOperationException)
        {
            return null;
        }
    }
}

/// <summary>
/// Lets a -Depot parameter take what names a depot (see <see cref="DepotLookup"/>) besides depot objects: a string
/// becomes the session's depots it names, or a binding error that says none does.
/// </summary>
internal sealed class DepotTransformationAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var items = LanguagePrimitives.GetEnumerable(inputData) is System.Collections.IEnumerable many && !(inputData is string)
            ? many : new[] { inputData };
        var result = new List<object>();
        foreach (var item in items)
        {
            var value = item is PSObject pso ? pso.BaseObject : item;
            if (!(value is string source)) { result.Add(item); continue; }
            var found = DepotLookup.Find(ModuleSession.Current.Depots, engineIntrinsics.SessionState, source);
            if (found.Count == 0)
                throw new ArgumentTransformationMetadataException($"no depot '{source}' in this session (see Get-EsxDepot)");
            result.AddRange(found);
        }
        return result.ToArray();
    }
}
