using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;

namespace ESXiImageTools.Infrastructure;

/// <summary>
/// Loads the engine (ESXiImageTools.Core) and its third-party dependency (SharpZipLib) privately, so
/// another module's copy of SharpZipLib in the same session can neither break ours nor be broken by it.
/// The staged module keeps them in <c>Dependencies/</c> beside the module dll, out of PowerShell's
/// own probing path.
/// <list type="bullet">
/// <item>PowerShell 7 (.NET Core): a private AssemblyLoadContext (created by reflection: the type is not
/// in netstandard2.0) loads Core and SharpZipLib from Dependencies/; a Resolving handler on the default
/// context hands out only our Core, nothing else.</item>
/// <item>Windows PowerShell 5.1 (.NET Framework): an AppDomain.AssemblyResolve handler answers only for
/// files in Dependencies/ whose version satisfies the request. SharpZipLib is strong-named, so
/// different versions load side by side there.</item>
/// </list>
/// In a development layout without Dependencies/ (bin/, tests) it does nothing: normal probing works.
/// </summary>
internal sealed class DependencyIsolation
{
    /// <summary>The name of the private load context (visible in diagnostics).</summary>
    internal const string ContextName = "ESXiImageTools.Dependencies";

    /// <summary>Assemblies loaded into the private context on .NET Core; everything else comes from the framework.</summary>
    internal static readonly string[] PrivateAssemblyNames = { "ESXiImageTools.Core", "ICSharpCode.SharpZipLib" };

    /// <summary>The one assembly the default context may receive from the private one: the engine.</summary>
    internal const string EngineAssemblyName = "ESXiImageTools.Core";

    private readonly string _folder;
    private readonly Dictionary<string, Assembly> _loaded = new Dictionary<string, Assembly>(StringComparer.OrdinalIgnoreCase);
    private object _privateContext;
    private object _defaultContext;
    private EventInfo _resolvingEvent;
    private Delegate _resolvingHandler;
    private ResolveEventHandler _desktopHandler;

    internal DependencyIsolation(string folder) => _folder = folder;

    /// <summary>The private load context (an AssemblyLoadContext), or null on .NET Framework or before Install.</summary>
    internal object PrivateContext => _privateContext;

    /// <summary>The Dependencies/ folder beside the module assembly.</summary>
    internal static string DefaultFolder
        => Path.Combine(Path.GetDirectoryName(typeof(DependencyIsolation).Assembly.Location) ?? ".", "Dependencies");

    /// <summary>Installs the handlers; false when there is no Dependencies/ folder (development layout).</summary>
    internal bool Install()
    {
        if (!Directory.Exists(_folder)) return false;
        var alcType = Type.GetType("System.Runtime.Loader.AssemblyLoadContext, System.Runtime.Loader", throwOnError: false);
        var ctor = alcType?.GetConstructor(new[] { typeof(string), typeof(bool) });
        if (ctor != null) InstallCore(alcType, ctor);
        else InstallDesktop();
        return true;
    }

    /// <summary>Removes the handlers (module removal). Loaded assemblies stay: engine objects may still be referenced.</summary>
    internal void Uninstall()
    {
        if (_resolvingHandler != null) _resolvingEvent.RemoveEventHandler(_defaultContext, _resolvingHandler);
        if (_desktopHandler != null) AppDomain.CurrentDomain.AssemblyResolve -= _desktopHandler;
        _resolvingHandler = null;
        _desktopHandler = null;
    }

    private void InstallCore(Type alcType, ConstructorInfo ctor)
    {
        if (_resolvingHandler != null) return;
        if (_privateContext != null)
        {
            // Re-import after Remove-Module: the assemblies are loaded already (contexts are not
            // collectible here; engine objects may outlive the module), only the handler returns.
            _resolvingEvent.AddEventHandler(_defaultContext, _resolvingHandler = CreateHandler());
            return;
        }
        _privateContext = ctor.Invoke(new object[] { ContextName, false });
        var loadFromPath = alcType.GetMethod("LoadFromAssemblyPath", new[] { typeof(string) });
        // Loaded eagerly: a context checks its own loaded assemblies first, so Core binds to our
        // SharpZipLib even when the default context already holds another copy.
        foreach (var name in PrivateAssemblyNames)
        {
            var path = Path.Combine(_folder, name + ".dll");
            if (File.Exists(path)) _loaded[name] = (Assembly)loadFromPath.Invoke(_privateContext, new object[] { path });
        }
        _defaultContext = alcType.GetProperty("Default").GetValue(null);
        _resolvingEvent = alcType.GetEvent("Resolving");
        _resolvingHandler = CreateHandler();
        _resolvingEvent.AddEventHandler(_defaultContext, _resolvingHandler);
    }

    // Func<AssemblyLoadContext, AssemblyName, Assembly> bound to (object, AssemblyName): parameter contravariance.
    private Delegate CreateHandler() => Delegate.CreateDelegate(_resolvingEvent.EventHandlerType, this,
        typeof(DependencyIsolation).GetMethod(nameof(OnDefaultResolving), BindingFlags.Instance | BindingFlags.NonPublic));

    /// <summary>Default-context Resolving handler: only the engine is handed out.</summary>
    internal Assembly OnDefaultResolving(object context, AssemblyName name)
    {
        if (!string.Equals(name.Name, EngineAssemblyName, StringComparison.OrdinalIgnoreCase)) return null;
        return _loaded.TryGetValue(name.Name, out var asm) ? asm : null;
    }

    private void InstallDesktop()
    {
        if (_desktopHandler != null) return;
        _desktopHandler = OnAssemblyResolve;
        AppDomain.CurrentDomain.AssemblyResolve += _desktopHandler;
    }

    /// <summary>Desktop handler: answers only with files from our folder that satisfy the requested version.</summary>
    internal Assembly OnAssemblyResolve(object sender, ResolveEventArgs args)
    {
        var requested = new AssemblyName(args.Name);
        lock (_loaded)
        {
            if (_loaded.TryGetValue(requested.Name, out var known)) return Satisfies(known.GetName(), requested) ? known : null;
            var path = Path.Combine(_folder, requested.Name + ".dll");
            if (!File.Exists(path)) return null;
            if (!Satisfies(AssemblyName.GetAssemblyName(path), requested)) return null;
            var asm = Assembly.LoadFrom(path);
            _loaded[requested.Name] = asm;
            return asm;
        }
    }

    private static bool Satisfies(AssemblyName candidate, AssemblyName requested)
        => requested.Version == null || (candidate.Version != null && candidate.Version >= requested.Version);
}
