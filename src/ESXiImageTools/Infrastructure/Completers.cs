using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace ESXiImageTools.Infrastructure;

/// <summary>Shared completion logic: candidates that start with (or wildcard-match) what was typed, quoted when needed.</summary>
internal static class Completion
{
    public static IEnumerable<CompletionResult> Complete(string wordToComplete, IEnumerable<string> candidates, string tooltip)
    {
        var typed = (wordToComplete ?? "").Trim('\'', '"');
        var pattern = WildcardPattern.ContainsWildcardCharacters(typed)
            ? new WildcardPattern(typed.EndsWith("*", StringComparison.Ordinal) ? typed : typed + "*", WildcardOptions.IgnoreCase)
            : new WildcardPattern(WildcardPattern.Escape(typed) + "*", WildcardOptions.IgnoreCase);
        return candidates.Where(c => !string.IsNullOrEmpty(c) && pattern.IsMatch(c))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .OrderBy(c => c, StringComparer.OrdinalIgnoreCase)
            .Select(c => new CompletionResult(Quote(c), c, CompletionResultType.ParameterValue, tooltip));
    }

    private static string Quote(string value)
        => value.IndexOfAny(new[] { ' ', '\'', '"', '$', '`', '(', ')', '{', '}', ';', ',', '&', '|', '@', '#', '<', '>' }) >= 0
            ? "'" + value.Replace("'", "''") + "'"
            : value;
}

/// <summary>Completes image profile names: the session's profiles and those of the added depots.</summary>
public sealed class ProfileNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
        => Completion.Complete(wordToComplete, ModuleSession.Current.ProfileNames(), "image profile");
}

/// <summary>Completes package names from the added depots.</summary>
public sealed class PackageNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
        => Completion.Complete(wordToComplete, ModuleSession.Current.Catalog.Select(v => v.Name), "package");
}

/// <summary>Completes the sources of the added depots.</summary>
public sealed class DepotSourceCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
        => Completion.Complete(wordToComplete, ModuleSession.Current.Depots.Depots.Select(d => d.Source), "depot");
}

/// <summary>
/// Completes -Id of the Get-Depot* cmdlets from the depot their -Depot names: VIB ids, component ids or add-on ids.
/// Only local depots are read (completion must not reach the network); the last one read is kept while its file is unchanged.
/// </summary>
public sealed class DepotContentCompleter : IArgumentCompleter
{
    private static readonly object Gate = new object();
    private static (string Key, ESXiImageTools.Core.Depots.Depot Depot) _last;

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var depot = ReadDepot(fakeBoundParameters["Depot"]);
        if (depot == null) return Enumerable.Empty<CompletionResult>();
        var kind = commandName ?? "";
        // By noun, so ImageBuilder's alias (Get-DepotVibs) and the cmdlet name (Get-EsxDepotVib) complete alike.
        IEnumerable<string> ids = kind.IndexOf("Vib", StringComparison.OrdinalIgnoreCase) >= 0 ? depot.Packages.Select(v => v.Id)
            : kind.IndexOf("Addon", StringComparison.OrdinalIgnoreCase) >= 0 ? depot.Addons.Select(a => a.Id)
            : depot.Components.Select(c => c.Id);
        return Completion.Complete(wordToComplete, ids, parameterName);
    }

    private static ESXiImageTools.Core.Depots.Depot ReadDepot(object bound)
    {
        var path = (bound is object[] many ? many.FirstOrDefault() : bound)?.ToString();
        if (string.IsNullOrEmpty(path) || path.Contains("://")) return null;
        try
        {
            // Relative to PowerShell's location, which is not the process's current directory.
            // (Completion runs inside the pipeline that asked for it, so a script block, not the SessionStateProxy, reads it.)
            var here = ScriptBlock.Create("$ExecutionContext.SessionState.Path.CurrentFileSystemLocation.ProviderPath").Invoke().FirstOrDefault()?.ToString();
            var full = System.IO.Path.GetFullPath(here == null ? path : System.IO.Path.Combine(here, path));
            if (!System.IO.File.Exists(full) && !System.IO.Directory.Exists(full)) return null;
            var key = full + "|" + System.IO.File.GetLastWriteTimeUtc(full).Ticks;
            lock (Gate)
            {
                if (_last.Key == key) return _last.Depot;
                var depot = ESXiImageTools.Core.Depots.DepotReader.Open(full, ESXiImageTools.Core.Depots.DepotOptions.Default, null, default);
                _last = (key, depot);
                return depot;
            }
        }
        catch (ESXiImageTools.Core.Diagnostics.EsxException) { return null; }
        catch (System.IO.IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
        catch (ArgumentException) { return null; }
        catch (RuntimeException) { return null; }
    }
}
