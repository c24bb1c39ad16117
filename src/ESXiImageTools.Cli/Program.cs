using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Threading;
using ESXiImageTools.Core.Diagnostics;

namespace ESXiImageTools.Cli;

/// <summary>Entry point of the <c>esximage</c> command-line tool.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        using var cts = new CancellationTokenSource();
        // SIGINT, SIGTERM and SIGHUP all cancel the same way, so an export deletes its temp file before the
        // process ends (the default for SIGTERM/SIGHUP would end it at once and leave the temp file behind).
        using var signals = CancelOnSignals(cts);
        return Run(args, Console.Out, Console.Error, cts.Token);
    }

    /// <summary>Registers SIGINT, SIGTERM and SIGHUP (on Windows: Ctrl+C, Ctrl+Break, console close) to cancel <paramref name="cts"/>.</summary>
    // Tested on Linux (SignalTests). The Windows mapping is not: the Wine leg runs esximage.exe as a child process
    // with redirected output, and nothing here can send it a console control event; an unsupported signal is skipped.
    internal static IDisposable CancelOnSignals(CancellationTokenSource cts)
    {
        var registrations = new List<PosixSignalRegistration>();
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP })
        {
            try
            {
                registrations.Add(PosixSignalRegistration.Create(signal, context =>
                {
                    // Keep the process alive: cancellation unwinds the work and Main returns 130.
                    context.Cancel = true;
                    try { cts.Cancel(); } catch (ObjectDisposedException) { }
                }));
            }
            catch (PlatformNotSupportedException) { }
        }
        return new Registrations(registrations);
    }

    private sealed class Registrations : IDisposable
    {
        private readonly List<PosixSignalRegistration> _items;
        public Registrations(List<PosixSignalRegistration> items) => _items = items;
        public void Dispose() { foreach (var r in _items) r.Dispose(); }
    }

    /// <summary>All commands (one class per file under Commands/), from the explicit registry <see cref="CliCommands"/>.</summary>
    public static IReadOnlyList<CliCommand> Commands { get; } = CliCommands.Create()
        .OrderBy(c => c.Name, StringComparer.Ordinal)
        .ToList();

    /// <summary>Runs one invocation with the given writers (tests call this directly).</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellation = default, string currentDirectory = null)
        => Run(args, new CliContext(stdout, stderr, cancellation, currentDirectory));

    /// <summary>Runs one invocation in a given context (tests give one with their own clock).</summary>
    internal static int Run(string[] args, CliContext context)
    {
        var stdout = context.Out;
        var stderr = context.Error;
        if (args.Length == 0 || args[0] is "help" or "--help" or "-h" or "-?")
        {
            if (args.Length > 1)
            {
                var c = Find(args[1]);
                if (c == null) { stderr.WriteLine($"esximage: unknown command '{MessageText.Escape(args[1])}'"); return ExitCodes.Usage; }
                stdout.WriteLine(c.Usage);
                return ExitCodes.Success;
            }
            PrintOverview(args.Length == 0 ? stderr : stdout);
            return args.Length == 0 ? ExitCodes.Usage : ExitCodes.Success;
        }
        if (args[0] is "--version" or "version")
        {
            stdout.WriteLine("esximage " + typeof(Program).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion);
            return ExitCodes.Success;
        }
        var command = Find(args[0]);
        if (command == null)
        {
            stderr.WriteLine($"esximage: unknown command '{MessageText.Escape(args[0])}' (run 'esximage help' for the list)");
            return ExitCodes.Usage;
        }
        try
        {
            return command.Run(ParseFor(command, args.Skip(1).ToArray()), context);
        }
        catch (CliUsageException e)
        {
            stderr.WriteLine($"esximage {command.Name}: {MessageText.Escape(e.Message)}");
            stderr.WriteLine(command.Usage);
            return ExitCodes.Usage;
        }
        catch (OperationCanceledException)
        {
            stderr.WriteLine($"esximage {command.Name}: cancelled");
            return ExitCodes.Cancelled;
        }
        catch (EsxException e)
        {
            stderr.WriteLine($"esximage: {e.Code}: {CliHints.Message(e)}");
            return ExitCodeFor(e);
        }
        catch (IOException e)
        {
            stderr.WriteLine($"esximage: IOError: {MessageText.OneLine(e)}");
            return ExitCodes.OutputFailed;
        }
        catch (UnauthorizedAccessException e)
        {
            stderr.WriteLine($"esximage: AccessDenied: {MessageText.OneLine(e)}");
            return ExitCodes.OutputFailed;
        }
        catch (Exception e) when (!IsFatal(e))
        {
            // The one boundary for bugs: anything the engine did not turn into a typed error is ours to fix.
            stderr.WriteLine(InternalErrorLine(e));
            return ExitCodes.InternalError;
        }
    }

    /// <summary>The one line printed for an exception that escaped the engine untyped.</summary>
    public static string InternalErrorLine(Exception e)
        => $"esximage: {ErrorCodes.InternalError}: this is a bug, please report it: {e.GetType().FullName}: {MessageText.OneLine(e)}";

    // Out-of-memory and stack overflow cannot be handled meaningfully; let the runtime end the process.
    private static bool IsFatal(Exception e) => e is OutOfMemoryException || e is StackOverflowException || e is AccessViolationException;

    /// <summary>Commands declare their options through <see cref="ICliOptions"/>; others take positionals only.</summary>
    private static CliArguments ParseFor(CliCommand command, string[] rest)
    {
        var o = command as ICliOptions;
        return CliArguments.Parse(rest, o?.ValueOptions, o?.Flags);
    }

    /// <summary>Maps an engine error to a documented exit code.</summary>
    public static int ExitCodeFor(EsxException e) => e.Category switch
    {
        EsxErrorCategory.ObjectNotFound => ExitCodes.NotFound,
        EsxErrorCategory.ConnectionError or EsxErrorCategory.OperationTimeout or EsxErrorCategory.ResourceUnavailable => ExitCodes.Network,
        EsxErrorCategory.PermissionDenied => ExitCodes.Network,
        EsxErrorCategory.WriteError or EsxErrorCategory.ResourceExists => ExitCodes.OutputFailed,
        EsxErrorCategory.OperationStopped => ExitCodes.Cancelled,
        EsxErrorCategory.InvalidArgument => ExitCodes.Usage,
        _ => ExitCodes.InvalidInput,
    };

    private static CliCommand Find(string name) => Commands.FirstOrDefault(c => c.Name == name);

    private static void PrintOverview(TextWriter w)
    {
        w.WriteLine("esximage - customize VMware ESXi installation media");
        w.WriteLine();
        w.WriteLine("usage: esximage <command> [options]     esximage help <command>");
        w.WriteLine();
        foreach (var c in Commands) w.WriteLine($"  {c.Name,-10} {c.Summary}");
        w.WriteLine();
        w.WriteLine("exit codes: 0 ok, 1 problems found, 2 usage, 3 invalid input, 4 not found, 5 network, 6 output failed, 70 internal error, 130 cancelled");
    }
}

/// <summary>Implemented by commands that take options: names without the leading dashes.</summary>
public interface ICliOptions
{
    IEnumerable<string> ValueOptions { get; }
    IEnumerable<string> Flags { get; }
}
