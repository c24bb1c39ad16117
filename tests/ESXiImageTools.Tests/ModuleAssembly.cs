using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using System.Text.Json;
using ESXiImageTools.TestSupport;

namespace ESXiImageTools.Tests;

/// <summary>
/// The module assembly, loaded for reflection in the test process. Its cmdlets derive from types in
/// System.Management.Automation, which no .NET runtime here ships: the compile-only stub from the
/// PowerShellStandard.Library package is resolved from the NuGet package folder recorded in the
/// module project's restore output. Attributes are read with GetCustomAttributesData only: the stub's
/// attribute classes drop their constructor values when instantiated.
/// </summary>
public static class ModuleAssembly
{
    public const string SmaPackage = "powershellstandard.library";

    static ModuleAssembly()
    {
        SmaPath = FindSma();
        AssemblyLoadContext.Default.Resolving += (context, name) =>
            name.Name == "System.Management.Automation" && SmaPath != null ? context.LoadFromAssemblyPath(SmaPath) : null;
        // By name, not typeof: a type token would make the JIT resolve PSCmdlet before the handler exists.
        Assembly = Assembly.Load(new AssemblyName("ESXiImageTools"));
    }

    /// <summary>The stub System.Management.Automation.dll used to resolve the cmdlets' base types.</summary>
    public static string SmaPath { get; }

    public static Assembly Assembly { get; }

    public static Assembly CoreAssembly => typeof(ESXiImageTools.Core.Packages.Vib).Assembly;

    /// <summary>Public, concrete cmdlet classes (deriving from System.Management.Automation.Cmdlet).</summary>
    public static IReadOnlyList<Type> CmdletTypes => Assembly.GetExportedTypes()
        .Where(t => t.IsClass && !t.IsAbstract && DerivesFrom(t, "System.Management.Automation.Cmdlet"))
        .OrderBy(t => t.Name, StringComparer.Ordinal)
        .ToList();

    public static bool DerivesFrom(Type t, string fullName)
    {
        for (var b = t.BaseType; b != null; b = b.BaseType)
            if (b.FullName == fullName) return true;
        return false;
    }

    /// <summary>Resolves a type name used by OutputType or the format/types files, in the engine or the module.</summary>
    public static Type FindType(string fullName)
        => CoreAssembly.GetType(fullName) ?? Assembly.GetType(fullName) ?? Type.GetType(fullName);

    /// <summary>
    /// The stub from the PowerShellStandard.Library version the module project restored (its project.assets.json
    /// names the version and the package folders), so a version bump in the csproj needs no change here.
    /// </summary>
    private static string FindSma()
    {
        var folders = new List<string>();
        var versions = new List<string>();
        var assets = Path.Combine(RepoRoot.Path ?? ".", "src", "ESXiImageTools", "obj", "project.assets.json");
        if (File.Exists(assets))
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(assets));
            if (doc.RootElement.TryGetProperty("packageFolders", out var pf))
                folders.AddRange(pf.EnumerateObject().Select(p => p.Name));
            if (doc.RootElement.TryGetProperty("libraries", out var libraries))
                versions.AddRange(libraries.EnumerateObject().Select(l => l.Name.Split('/'))
                    .Where(n => n.Length == 2 && n[0].Equals(SmaPackage, StringComparison.OrdinalIgnoreCase)).Select(n => n[1]));
        }
        var env = Environment.GetEnvironmentVariable("NUGET_PACKAGES");
        if (!string.IsNullOrEmpty(env)) folders.Add(env);
        folders.Add(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"));
        return (from f in folders
                from v in versions
                select Path.Combine(f, SmaPackage, v, "lib", "netstandard2.0", "System.Management.Automation.dll")).FirstOrDefault(File.Exists);
    }
}

/// <summary>Reads attribute data without instantiating the (stub) attribute classes.</summary>
public static class AttributeData
{
    public static IEnumerable<CustomAttributeData> Of(MemberInfo member, string attributeFullName)
        => member.GetCustomAttributesData().Where(a => a.AttributeType.FullName == attributeFullName);

    public static CustomAttributeData Single(MemberInfo member, string attributeFullName)
        => Of(member, attributeFullName).SingleOrDefault();

    /// <summary>A named argument (property setter in the attribute usage), or the default.</summary>
    public static T Named<T>(CustomAttributeData data, string name, T fallback = default)
    {
        var arg = data.NamedArguments.FirstOrDefault(a => a.MemberName == name);
        return arg.MemberInfo == null ? fallback : (T)arg.TypedValue.Value;
    }

    /// <summary>The strings of a params string[] or single-string constructor argument.</summary>
    public static IReadOnlyList<string> Strings(CustomAttributeTypedArgument arg)
        => arg.Value is IReadOnlyCollection<CustomAttributeTypedArgument> items
            ? items.Select(i => i.Value as string ?? (i.Value as Type)?.FullName).ToList()
            : new[] { arg.Value as string ?? (arg.Value as Type)?.FullName };
}

/// <summary>One cmdlet parameter as declared: property, type, aliases and its [Parameter] attributes.</summary>
public sealed class ParameterInfoData
{
    public PropertyInfo Property { get; init; }
    public string Name => Property.Name;
    public IReadOnlyList<CustomAttributeData> Parameters { get; init; }
    public IReadOnlyList<string> Aliases { get; init; }

    public bool Mandatory(CustomAttributeData p) => AttributeData.Named(p, "Mandatory", false);
    public string SetName(CustomAttributeData p) => AttributeData.Named(p, "ParameterSetName", "__AllParameterSets");
    public int Position(CustomAttributeData p) => AttributeData.Named(p, "Position", int.MinValue);
    public bool ByValue => Parameters.Any(p => AttributeData.Named(p, "ValueFromPipeline", false));
    public bool ByPropertyName => Parameters.Any(p => AttributeData.Named(p, "ValueFromPipelineByPropertyName", false));

    public static IReadOnlyList<ParameterInfoData> For(Type cmdlet)
        => cmdlet.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => new ParameterInfoData
            {
                Property = p,
                Parameters = AttributeData.Of(p, "System.Management.Automation.ParameterAttribute").ToList(),
                Aliases = AttributeData.Of(p, "System.Management.Automation.AliasAttribute")
                    .SelectMany(a => a.ConstructorArguments.SelectMany(AttributeData.Strings)).ToList(),
            })
            .Where(p => p.Parameters.Count > 0)
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ToList();
}

/// <summary>The [Cmdlet] attribute of a cmdlet class, read as data.</summary>
public sealed class CmdletInfoData
{
    public Type Type { get; init; }
    public string Verb { get; init; }
    public string Noun { get; init; }
    public string Name => Verb + "-" + Noun;
    public bool SupportsShouldProcess { get; init; }
    public string DefaultParameterSetName { get; init; }
    public IReadOnlyList<string> Aliases { get; init; }
    public IReadOnlyList<string> OutputTypes { get; init; }

    public static CmdletInfoData For(Type t)
    {
        var c = AttributeData.Single(t, "System.Management.Automation.CmdletAttribute");
        if (c == null) return null;
        return new CmdletInfoData
        {
            Type = t,
            Verb = (string)c.ConstructorArguments[0].Value,
            Noun = (string)c.ConstructorArguments[1].Value,
            SupportsShouldProcess = AttributeData.Named(c, "SupportsShouldProcess", false),
            DefaultParameterSetName = AttributeData.Named<string>(c, "DefaultParameterSetName"),
            Aliases = AttributeData.Of(t, "System.Management.Automation.AliasAttribute")
                .SelectMany(a => a.ConstructorArguments.SelectMany(AttributeData.Strings)).ToList(),
            OutputTypes = AttributeData.Of(t, "System.Management.Automation.OutputTypeAttribute")
                .SelectMany(a => a.ConstructorArguments.SelectMany(AttributeData.Strings)).ToList(),
        };
    }

    public static IReadOnlyList<CmdletInfoData> All => ModuleAssembly.CmdletTypes.Select(For).Where(c => c != null).ToList();
}
