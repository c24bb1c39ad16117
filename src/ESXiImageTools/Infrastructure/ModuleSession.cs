using System.Collections.Generic;
using System.Linq;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using ESXiImageTools.Core.Profiles;

namespace ESXiImageTools.Infrastructure;

/// <summary>
/// What one PowerShell runspace remembers between commands: the profiles made in the session
/// (depot profiles are read from the depots). The one place session state lives; keyed by the
/// Runspace instance so that runspaces (jobs, ForEach-Object -Parallel) never share or leak state.
/// </summary>
internal sealed class ModuleSession
{
    private static readonly ConditionalWeakTable<Runspace, ModuleSession> ByRunspace = new ConditionalWeakTable<Runspace, ModuleSession>();
    private static readonly ModuleSession NoRunspace = new ModuleSession();

    /// <summary>The session of the runspace running the current command.</summary>
    public static ModuleSession Current
    {
        get
        {
            var runspace = Runspace.DefaultRunspace;
            return runspace == null ? NoRunspace : ByRunspace.GetValue(runspace, _ => new ModuleSession());
        }
    }

    /// <summary>Guards every member: a runspace may run pipelines from several threads over time.</summary>
    public object Sync { get; } = new object();

    /// <summary>Profiles created in this session (New-EsxProfile), in creation order.</summary>
    public List<ImageProfile> Profiles { get; } = new List<ImageProfile>();

    /// <summary>Names of every profile known to the session, for completion.</summary>
    public IReadOnlyList<string> ProfileNames()
    {
        lock (Sync) return Profiles.Select(p => p.Name).ToList();
    }
}
