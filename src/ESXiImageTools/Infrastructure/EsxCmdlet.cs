using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using System.Linq;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.Profiles;

namespace ESXiImageTools.Infrastructure;

/// <summary>
/// Base of every ESXiImageTools cmdlet: engine errors become error records with the engine's stable
/// code as ErrorId, Ctrl+C becomes a cancellation token, engine progress becomes Write-Progress, and
/// PowerShell paths are resolved against the current location. Holds no domain logic.
/// </summary>
public abstract class EsxCmdlet : PSCmdlet
{
    private readonly CancellationTokenSource _stop = new CancellationTokenSource();
    private static int _nextActivityId;

    /// <summary>Cancelled when the user presses Ctrl+C or the pipeline stops.</summary>
    protected CancellationToken CancellationToken => _stop.Token;

    /// <summary>PowerShell calls this on Ctrl+C; the engine sees it through <see cref="CancellationToken"/>.</summary>
    protected override void StopProcessing() => _stop.Cancel();

    // Taken when PowerShell creates the command, on the runspace's pipeline thread: engine work runs on
    // worker threads (RunWithProgress), where Runspace.DefaultRunspace is null and ModuleSession.Current
    // would be an empty session.
    private readonly ModuleSession _session = ModuleSession.Current;

    /// <summary>The session state of the runspace running this command.</summary>
    internal ModuleSession Session => _session;

    /// <summary>A per-item failure: report it and go on with the next item.</summary>
    protected void WriteEsxError(EsxException e, object target = null) => WriteError(EsxErrors.ToErrorRecord(e, target, RenderHint));

    /// <summary>A failure after which nothing can proceed.</summary>
    protected void ThrowEsxError(EsxException e, object target = null) => ThrowTerminatingError(EsxErrors.ToErrorRecord(e, target, RenderHint));

    /// <summary>The words of an engine hint in this cmdlet's errors: <see cref="PowerShellHints.Render"/>, unless its switches differ.</summary>
    internal virtual string RenderHint(string hint) => PowerShellHints.Render(hint);

    /// <summary>A per-item failure the module detects itself.</summary>
    protected void WriteEsxError(string code, ErrorCategory category, string message, object target)
        => WriteError(EsxErrors.Create(code, category, message, target));

    /// <summary>
    /// Runs one unit of engine work and reports its failure as a non-terminating error for
    /// <paramref name="target"/>. Returns false when it failed. Cancellation stops the pipeline.
    /// </summary>
    protected bool TryRun(Action work, object target)
    {
        try
        {
            work();
            return true;
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        catch (EsxException e)
        {
            // The engine names what was wrong (a file inside a depot, the missing clone source); the
            // caller's target is the fallback.
            WriteEsxError(e, string.IsNullOrEmpty(e.Target) ? target : null);
            return false;
        }
        catch (Exception e) when (EsxErrors.IsUnexpected(e))
        {
            ThrowTerminatingError(EsxErrors.Internal(e, target));
            return false;
        }
    }

    /// <summary>
    /// Runs long engine work on a worker thread while this (pipeline) thread writes its progress:
    /// Write-Progress may only be called from the pipeline thread, and engines report from any thread.
    /// Engine exceptions propagate unchanged; cancellation becomes a pipeline stop.
    /// </summary>
    protected TResult RunWithProgress<TResult, TProgress>(
        string activity,
        Func<IProgress<TProgress>, CancellationToken, TResult> work,
        Func<TProgress, ProgressDetail> describe)
    {
        var queue = new BlockingCollection<TProgress>();
        var reporter = new QueueProgress<TProgress>(queue);
        var task = Task.Run(() =>
        {
            try { return work(reporter, _stop.Token); }
            finally { queue.CompleteAdding(); }
        });
        int activityId = Interlocked.Increment(ref _nextActivityId) % 1000 + 1;
        var clock = Stopwatch.StartNew();
        TProgress latest = default;
        bool pending = false;
        foreach (var item in queue.GetConsumingEnumerable())
        {
            latest = item;
            pending = true;
            // Throttle: Write-Progress is slow on consoles; four updates a second are plenty.
            if (clock.ElapsedMilliseconds >= 250 || queue.Count == 0)
            {
                WriteProgressRecord(activityId, activity, describe(latest));
                pending = false;
                clock.Restart();
            }
        }
        if (pending) WriteProgressRecord(activityId, activity, describe(latest));
        WriteProgress(new ProgressRecord(activityId, activity, "done") { RecordType = ProgressRecordType.Completed });
        try
        {
            return task.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        catch (Exception e) when (EsxErrors.IsUnexpected(e))
        {
            ThrowTerminatingError(EsxErrors.Internal(e));
            throw;
        }
    }

    private void WriteProgressRecord(int activityId, string activity, ProgressDetail detail)
    {
        var record = new ProgressRecord(activityId, activity, string.IsNullOrEmpty(detail.Status) ? "working" : detail.Status)
        {
            PercentComplete = detail.PercentComplete,
        };
        if (!string.IsNullOrEmpty(detail.CurrentOperation)) record.CurrentOperation = detail.CurrentOperation;
        WriteProgress(record);
    }

    /// <summary>
    /// Resolves PowerShell paths of existing files (wildcards expand, PSDrives and relative paths
    /// resolve against the current location). A path that matches nothing is a non-terminating error.
    /// </summary>
    protected IReadOnlyList<string> ResolveExistingPaths(IEnumerable<string> paths, bool literal)
    {
        var result = new List<string>();
        foreach (var path in paths)
        {
            try
            {
                if (literal)
                {
                    var resolved = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out var provider, out _);
                    if (!IsFileSystem(provider, path)) continue;
                    if (!System.IO.File.Exists(resolved) && !System.IO.Directory.Exists(resolved))
                    {
                        WriteEsxError(ErrorCodes.FileNotFound, ErrorCategory.ObjectNotFound, $"Cannot find path '{path}' because it does not exist.", path);
                        continue;
                    }
                    result.Add(resolved);
                }
                else
                {
                    var resolved = GetResolvedProviderPathFromPSPath(path, out var provider);
                    if (!IsFileSystem(provider, path)) continue;
                    result.AddRange(resolved);
                }
            }
            catch (ItemNotFoundException e)
            {
                WriteError(new ErrorRecord(e, ErrorCodes.FileNotFound, ErrorCategory.ObjectNotFound, path));
            }
        }
        return result;
    }

    /// <summary>Resolves a PowerShell path for a file to be written (it need not exist).</summary>
    protected string ResolveOutputPath(string path)
    {
        var resolved = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out var provider, out _);
        if (provider.ImplementingType != typeof(Microsoft.PowerShell.Commands.FileSystemProvider))
            ThrowTerminatingError(EsxErrors.Create("PathNotFileSystem", ErrorCategory.InvalidArgument,
                $"'{path}' is not a file system path (provider {provider.Name}).", path));
        return resolved;
    }

    private bool IsFileSystem(ProviderInfo provider, string path)
    {
        if (provider.ImplementingType == typeof(Microsoft.PowerShell.Commands.FileSystemProvider)) return true;
        WriteEsxError("PathNotFileSystem", ErrorCategory.InvalidArgument, $"'{path}' is not a file system path (provider {provider.Name}).", path);
        return false;
    }

    /// <summary>The live profile a -Profile argument names (see <see cref="ModuleSession.Resolve"/>).</summary>
    internal LiveImageProfile ResolveLive(ProfileArgument argument) => Session.Resolve(argument);

    /// <summary>The current snapshot of the profile a -Profile argument names.</summary>
    internal ImageProfile ResolveProfile(ProfileArgument argument) => ResolveLive(argument).Snapshot;

    /// <summary>
    /// Finishes an edit of a live profile: reports it, replaces the snapshot the user's object and the
    /// session hold, and writes the object.
    /// </summary>
    internal void CommitEdit(LiveImageProfile live, EditResult result)
    {
        WriteEditReport(result);
        live.Replace(result.Profile);
        WriteObject(live);
    }

    /// <summary>
    /// Ends a package edit: a change is committed (<see cref="CommitEdit"/>); an edit that changed nothing is reported,
    /// and the unchanged profile is still written when no item failed, so a pipeline goes on as ImageBuilder's does.
    /// </summary>
    internal void CommitOrReportEdit(LiveImageProfile live, EditResult result)
    {
        if (Changed(result))
        {
            CommitEdit(live, result);
            return;
        }
        WriteEditReport(result);
        if (result.Errors.Count == 0) WriteObject(live);
    }

    /// <summary>
    /// Package items as the engine takes them: objects stay objects, a component stands for its VIBs, anything else is
    /// a name, "name version" or id.
    /// </summary>
    internal static IReadOnlyList<PackageRef> ToPackageRefs(IEnumerable<object> items, bool forRemoval = false)
        => items.SelectMany(i => PackageRef.Expand(ProfileArgument.Unwrap(i), forRemoval)).ToList();

    /// <summary>
    /// Reports an edit: item errors as non-terminating errors, warnings as warnings, what changed as
    /// verbose lines. The caller stores and writes the profile.
    /// </summary>
    internal static bool Changed(EditResult result)
        => result.Added.Count + result.Replaced.Count + result.Removed.Count > 0;

    internal void WriteEditReport(EditResult result)
    {
        foreach (var e in result.Errors) WriteEsxError(e.Error, e.Item);
        foreach (var w in result.Warnings) WriteWarning(w.ToString());
        foreach (var v in result.Added) WriteVerbose($"added {v.Id}");
        foreach (var r in result.Replaced) WriteVerbose($"replaced {r}");
        foreach (var r in result.Removed) WriteVerbose($"removed {r}");
        foreach (var i in result.Ignored) WriteVerbose($"ignored {i}");
    }

    /// <summary>
    /// Sets ImageBuilder's global <c>$DefaultSoftwareDepots</c> to the session's depots after they changed: scripts such as
    /// ESXi-Customizer-PS clean up with <c>Remove-EsxSoftwareDepot $DefaultSoftwareDepots</c>.
    /// </summary>
    internal void PublishDepots()
        => SessionState.PSVariable.Set("global:DefaultSoftwareDepots", Session.Depots.Depots.ToArray());

    /// <summary>Whether a string is a URL the engine fetches itself rather than a PowerShell path.</summary>
    protected static bool IsUrl(string text)
        => text != null && (text.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("https://", StringComparison.OrdinalIgnoreCase));

    private sealed class QueueProgress<T> : IProgress<T>
    {
        private readonly BlockingCollection<T> _queue;
        public QueueProgress(BlockingCollection<T> queue) => _queue = queue;
        public void Report(T value)
        {
            // A late report after the work finished is dropped, not an error.
            try { _queue.TryAdd(value); }
            catch (InvalidOperationException) { }
        }
    }
}

/// <summary>What a progress report shows: status line, current operation and percent (-1 when unknown).</summary>
public struct ProgressDetail
{
    public ProgressDetail(string status, string currentOperation, int percentComplete)
    {
        Status = status;
        CurrentOperation = currentOperation;
        PercentComplete = Math.Max(-1, Math.Min(100, percentComplete));
    }

    public string Status { get; }
    public string CurrentOperation { get; }
    public int PercentComplete { get; }
}
