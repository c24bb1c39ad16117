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
