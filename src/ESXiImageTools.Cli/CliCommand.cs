using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;

namespace ESXiImageTools.Cli;

/// <summary>
/// One <c>esximage</c> subcommand. Each lives in its own file under Commands/ and is listed by hand in
/// <see cref="CliCommands"/> (no reflection, for Native AOT); Program.cs does not change when a command is added.
/// </summary>
public abstract class CliCommand
{
    /// <summary>The verb typed after <c>esximage</c>, e.g. <c>inspect</c>.</summary>
    public abstract string Name { get; }

    /// <summary>One line for the command list.</summary>
    public abstract string Summary { get; }

    /// <summary>Full usage text printed by <c>esximage help &lt;command&gt;</c> and on usage errors.</summary>
    public abstract string Usage { get; }

    /// <summary>Runs the command; returns the process exit code (see <see cref="ExitCodes"/>).</summary>
    public abstract int Run(CliArguments args, CliContext context);
}

/// <summary>Documented process exit codes of <c>esximage</c>.</summary>
public static class ExitCodes
{
    /// <summary>Success (for <c>validate</c>: the profile is valid).</summary>
    public const int Success = 0;
    /// <summary>The command ran but found problems (for <c>validate</c>: the profile has validation problems).</summary>
    public const int ProblemsFound = 1;
    /// <summary>Bad command line: unknown command or option, missing argument.</summary>
    public const int Usage = 2;
    /// <summary>Bad input data: malformed VIB, bundle, depot or ISO; checksum mismatch.</summary>
    public const int InvalidInput = 3;
    /// <summary>A file, package or profile that was named does not exist.</summary>
    public const int NotFound = 4;
    /// <summary>Network or depot failure (unreachable, denied, timeout).</summary>
    public const int Network = 5;
    /// <summary>Output could not be written (destination exists without --force, disk error).</summary>
    public const int OutputFailed = 6;
    /// <summary>Cancelled (Ctrl+C).</summary>
    public const int Cancelled = 130;
    /// <summary>An unexpected internal error (a bug: please report it).</summary>
    public const int InternalError = 70;
}

/// <summary>What a command writes to and can be cancelled by.</summary>
public sealed class CliContext
{
    public CliContext(TextWriter stdout, TextWriter stderr, CancellationToken cancellation, string currentDirectory = null)
    {
        Out = stdout;
        Error = stderr;
        Cancellation = cancellation;
        CurrentDirectory = currentDirectory ?? Environment.CurrentDirectory;
    }

    public TextWriter Out { get; }
    public TextWriter Error { get; }
    public CancellationToken Cancellation { get; }
    public string CurrentDirectory { get; }

    /// <summary>The time a command stamps on what it creates (a cloned profile); tests set their own.</summary>
    internal Func<DateTimeOffset> Clock { get; init; } = () => DateTimeOffset.UtcNow;

    /// <summary>
    /// Resolves a depot source: a path as <see cref="ResolvePath"/>, and ImageBuilder's DepotUrl form of a local bundle
    /// (<c>zip:&lt;path&gt;?index.xml</c>, as the PowerShell module prints it) as the path inside it.
    /// </summary>
    public string ResolveDepotSource(string source)
        => ResolvePath(ESXiImageTools.Core.Depots.DepotReader.ZipFormPath(source) ?? source);

    /// <summary>Resolves a user-given path against the current directory (URLs pass through unchanged).</summary>
    public string ResolvePath(string path)
    {
        if (string.IsNullOrEmpty(path)) return path;
        if (path.Contains("://", StringComparison.Ordinal)) return path;
        return Path.GetFullPath(Path.Combine(CurrentDirectory, path));
    }
}

/// <summary>Thrown for command-line mistakes; printed with the command's usage, exit code 2.</summary>
public sealed class CliUsageException : Exception
{
    public CliUsageException(string message) : base(message) { }
}

/// <summary>
/// Parsed arguments: positionals, <c>--name value</c> options (repeatable), and <c>--flag</c> switches.
/// Commands declare which options take values and which are flags; anything else is a usage error.
/// </summary>
public sealed class CliArguments
{
    private readonly Dictionary<string, List<string>> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);

    public IReadOnlyList<string> Positionals { get; }

    private CliArguments(List<string> positionals) => Positionals = positionals;

    /// <summary>Parses <paramref name="args"/>; <paramref name="valueOptions"/> and <paramref name="flags"/> are names without dashes.</summary>
    public static CliArguments Parse(IReadOnlyList<string> args, IEnumerable<string> valueOptions, IEnumerable<string> flags)
    {
        var values = new HashSet<string>(valueOptions ?? Array.Empty<string>(), StringComparer.Ordinal);
        var switches = new HashSet<string>(flags ?? Array.Empty<string>(), StringComparer.Ordinal);
        var positionals = new List<string>();
        var result = new CliArguments(positionals);
        bool onlyPositionals = false;
        for (int i = 0; i < args.Count; i++)
        {
            var a = args[i];
            if (!onlyPositionals && a == "--") { onlyPositionals = true; continue; }
            if (!onlyPositionals && a.StartsWith("--", StringComparison.Ordinal) && a.Length > 2)
            {
                var name = a.Substring(2);
                string inline = null;
                int eq = name.IndexOf('=');
                if (eq >= 0) { inline = name.Substring(eq + 1); name = name.Substring(0, eq); }
                if (switches.Contains(name))
                {
                    if (inline != null) throw new CliUsageException($"option --{name} takes no value");
                    result._flags.Add(name);
                }
                else if (values.Contains(name))
                {
                    var v = inline ?? (i + 1 < args.Count ? args[++i] : throw new CliUsageException($"option --{name} needs a value"));
                    if (!result._options.TryGetValue(name, out var list)) result._options[name] = list = new List<string>();
                    list.Add(v);
                }
                else throw new CliUsageException($"unknown option --{name}");
            }
            else positionals.Add(a);
        }
        return result;
    }

    public bool Flag(string name) => _flags.Contains(name);

    /// <summary>All values of a repeatable option (comma-separated values are split too).</summary>
    public IReadOnlyList<string> Values(string name)
        => _options.TryGetValue(name, out var l) ? l.SelectMany(v => v.Split(',')).Select(v => v.Trim()).Where(v => v.Length > 0).ToList() : new List<string>();

    /// <summary>The single value of an option, or null; a repeated single-value option is a usage error.</summary>
    public string Value(string name)
    {
        if (!_options.TryGetValue(name, out var l)) return null;
        if (l.Count > 1) throw new CliUsageException($"option --{name} is given more than once");
        return l[0];
    }

    public string Required(string name) => Value(name) ?? throw new CliUsageException($"option --{name} is required");
}
