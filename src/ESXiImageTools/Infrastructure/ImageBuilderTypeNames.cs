using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using ESXiImageTools.Core.Depots;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.ObjectModel;

namespace ESXiImageTools.Infrastructure;

/// <summary>
/// ImageBuilder's type names as PowerShell type accelerators for this module's types, so scripts that name them
/// (<c>[VMware.ImageBuilder.Types.ImageProfile]$ReferenceProfile</c> in a param block,
/// <c>[VMware.ImageBuilder.Types.SoftwareVersion]::Compare($a, $b)</c>) run unchanged. A name VMware's own
/// ImageBuilder (or anything else) already defines is left alone. Added on import, removed on Remove-Module.
/// </summary>
public sealed class ImageBuilderTypeNames : IModuleAssemblyInitializer
{
    private static readonly object Gate = new object();

    /// <summary>Called by PowerShell on Import-Module.</summary>
    public void OnImport() => Register();

    /// <summary>Each ImageBuilder type name and the type that stands for it.</summary>
    internal static IReadOnlyDictionary<string, Type> Names { get; } = new Dictionary<string, Type>(StringComparer.OrdinalIgnoreCase)
    {
        ["VMware.ImageBuilder.Types.ImageProfile"] = typeof(LiveImageProfile),
        ["VMware.ImageBuilder.Types.ImageProfileDiff"] = typeof(ImageProfileDiff),
        ["VMware.ImageBuilder.Types.ImageProfileRule"] = typeof(ImageProfileRule),
        ["VMware.ImageBuilder.Types.SoftwarePackage"] = typeof(SoftwarePackage),
        ["VMware.ImageBuilder.Types.SoftwareConstraint"] = typeof(SoftwareConstraint),
        ["VMware.ImageBuilder.Types.SoftwareProvide"] = typeof(SoftwareProvide),
        ["VMware.ImageBuilder.Types.SoftwareVersion"] = typeof(VibVersion),
        ["VMware.ImageBuilder.Types.SupportReference"] = typeof(SupportReference),
        ["VMware.ImageBuilder.Types.SoftwareDepot"] = typeof(Depot),
        ["VMware.ImageBuilder.Types.AcceptanceLevels"] = typeof(AcceptanceLevel),
    };

    internal static void Register()
    {
        var accelerators = Accelerators();
        if (accelerators == null) return;
        lock (Gate)
        {
            var present = accelerators.Current();
            foreach (var pair in Names)
            {
                if (present.ContainsKey(pair.Key) || IsDefinedElsewhere(pair.Key)) continue;
                accelerators.Add(pair.Key, pair.Value);
            }
        }
    }

    internal static void Unregister()
    {
        var accelerators = Accelerators();
        if (accelerators == null) return;
        lock (Gate)
        {
            var present = accelerators.Current();
            foreach (var pair in Names)
                if (present.TryGetValue(pair.Key, out var type) && type == pair.Value) accelerators.Remove(pair.Key);
        }
    }

    private static bool IsDefinedElsewhere(string fullName)
    {
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            if (assembly.IsDynamic) continue;
            try
            {
                if (assembly.GetType(fullName, throwOnError: false, ignoreCase: true) != null) return true;
            }
            catch (Exception e) when (e is TypeLoadException || e is System.IO.FileLoadException || e is BadImageFormatException)
            {
                // An assembly that cannot answer defines nothing we could clash with.
            }
        }
        return false;
    }

    // PowerShell's accelerator table is internal (System.Management.Automation.TypeAccelerators) but has been the same
    // since PowerShell 2: Add(string, Type), Remove(string), Get. Without it the names are simply not added.
    private static AcceleratorTable Accelerators()
    {
        var type = typeof(PSObject).Assembly.GetType("System.Management.Automation.TypeAccelerators");
        var add = type?.GetMethod("Add", BindingFlags.Public | BindingFlags.Static, null, new[] { typeof(string), typeof(Type) }, null);
        var remove = type?.GetMethod("Remove", BindingFlags.Public | BindingFlags.Static, null, new[] { typeof(string) }, null);
        var get = type?.GetProperty("Get", BindingFlags.Public | BindingFlags.Static);
        return add == null || remove == null || get == null ? null : new AcceleratorTable(add, remove, get);
    }

    private sealed class AcceleratorTable
    {
        private readonly MethodInfo _add;
        private readonly MethodInfo _remove;
        private readonly PropertyInfo _get;

        public AcceleratorTable(MethodInfo add, MethodInfo remove, PropertyInfo get)
        {
            _add = add;
            _remove = remove;
            _get = get;
        }

        public IReadOnlyDictionary<string, Type> Current()
            => (_get.GetValue(null) as IDictionary<string, Type> ?? new Dictionary<string, Type>())
               .ToDictionary(p => p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase);

        public void Add(string name, Type type) => _add.Invoke(null, new object[] { name, type });

        public void Remove(string name) => _remove.Invoke(null, new object[] { name });
    }
}
