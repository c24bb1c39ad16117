using System.Management.Automation;

namespace ESXiImageTools.Infrastructure;

/// <summary>
/// Runs when PowerShell imports and removes the module: installs and removes the private loading of
/// the engine (see <see cref="DependencyIsolation"/>). Must not touch engine types itself.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private static readonly object Gate = new object();
    private static DependencyIsolation _isolation;

    /// <summary>Called by PowerShell on Import-Module.</summary>
    public void OnImport()
    {
        lock (Gate)
        {
            _isolation ??= new DependencyIsolation(DependencyIsolation.DefaultFolder);
            _isolation.Install();
        }
    }

    /// <summary>Called by PowerShell on Remove-Module.</summary>
    public void OnRemove(PSModuleInfo psModuleInfo)
    {
        lock (Gate)
        {
            _isolation?.Uninstall();
        }
    }
}
