using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Versioning;
using ESXiImageTools.TestSupport;
using Xunit;

namespace ESXiImageTools.Tests;

/// <summary>PowerShell conventions every cmdlet must follow, checked by reflection over the module assembly.</summary>
public class CmdletConventionTests
{
    /// <summary>Approved verbs (Get-Verb) that this module may use. Deliberately only the approved set, not a free list.</summary>
    public static readonly HashSet<string> ApprovedVerbs = new HashSet<string>(StringComparer.Ordinal)
    {
        // Common
        "Add", "Clear", "Close", "Copy", "Enter", "Exit", "Find", "Format", "Get", "Hide", "Join", "Lock", "Move", "New",
        "Open", "Optimize", "Pop", "Push", "Redo", "Remove", "Rename", "Reset", "Resize", "Search", "Select", "Set",
        "Show", "Skip", "Split", "Step", "Switch", "Undo", "Unlock", "Watch",
        // Data
        "Backup", "Checkpoint", "Compare", "Compress", "Convert", "ConvertFrom", "ConvertTo", "Dismount", "Edit",
        "Expand", "Export", "Group", "Import", "Initialize", "Limit", "Merge", "Mount", "Out", "Publish", "Restore",
        "Save", "Sync", "Unpublish", "Update",
        // Lifecycle
        "Approve", "Assert", "Build", "Complete", "Confirm", "Deny", "Deploy", "Disable", "Enable", "Install", "Invoke",
        "Register", "Request", "Restart", "Resume", "Start", "Stop", "Submit", "Suspend", "Uninstall", "Unregister", "Wait",
        // Diagnostic
        "Debug", "Measure", "Ping", "Repair", "Resolve", "Test", "Trace",
        // Communications, Security, Other
        "Connect", "Disconnect", "Read", "Receive", "Send", "Write", "Block", "Grant", "Protect", "Revoke", "Unblock", "Unprotect", "Use",
    };

    /// <summary>Verbs whose cmdlets write files or change session state, and so must support -WhatIf/-Confirm.</summary>
    public static readonly HashSet<string> StateChangingVerbs = new HashSet<string>(StringComparer.Ordinal)
    { "Add", "Remove", "Set", "New", "Export" };

    public static IEnumerable<object[]> Cmdlets => CmdletInfoData.All.Select(c => new object[] { c.Name });

    private static CmdletInfoData Get(string name) => CmdletInfoData.All.Single(c => c.Name == name);

    [Fact]
    public void StubSystemManagementAutomationIsFoundForReflection()
    {
        Assert.NotNull(ModuleAssembly.SmaPath);
        Assert.Equal("ESXiImageTools", ModuleAssembly.Assembly.GetName().Name);
    }

    [Fact]
    public void EveryPublicCmdletClassHasACmdletAttribute()
    {
        var missing = ModuleAssembly.CmdletTypes.Where(t => CmdletInfoData.For(t) == null).Select(t => t.Name).ToList();
        Assert.Empty(missing);
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void VerbIsApprovedAndNounIsEsx(string name)
    {
        var c = Get(name);
        Assert.Contains(c.Verb, ApprovedVerbs);
        Assert.StartsWith("Esx", c.Noun, StringComparison.Ordinal);
        Assert.True(c.Noun.Length > 3 && char.IsUpper(c.Noun[3]), $"{name}: noun continues in PascalCase after Esx");
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void ClassIsNamedAfterTheCmdletAndLivesInItsOwnFile(string name)
    {
        var c = Get(name);
        Assert.Equal(c.Verb + c.Noun + "Command", c.Type.Name);
        Assert.Equal("ESXiImageTools.Cmdlets", c.Type.Namespace);
        var file = Path.Combine(RepoRoot.Path, "src", "ESXiImageTools", "Cmdlets", name + ".cs");
        Assert.True(File.Exists(file), $"expected {file}");
        var text = File.ReadAllText(file);
        Assert.Contains("class " + c.Type.Name, text);
        // One cmdlet per file: no other cmdlet class in it.
        foreach (var other in CmdletInfoData.All.Where(o => o.Name != name))
            Assert.DoesNotContain("class " + other.Type.Name + " ", text);
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void DeclaresOutputTypesThatExist(string name)
    {
        var c = Get(name);
        Assert.NotEmpty(c.OutputTypes);
        foreach (var t in c.OutputTypes)
            Assert.True(ModuleAssembly.FindType(t) != null, $"{name}: OutputType '{t}' is not a type in the engine or the module");
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void StateChangingCmdletsSupportShouldProcessAndOthersDoNot(string name)
    {
        var c = Get(name);
        Assert.Equal(StateChangingVerbs.Contains(c.Verb), c.SupportsShouldProcess);
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void ParameterSetsAreConsistent(string name)
    {
        var c = Get(name);
        var parameters = ParameterInfoData.For(c.Type);
        Assert.NotEmpty(parameters);
        var sets = parameters.SelectMany(p => p.Parameters.Select(p.SetName)).Where(s => s != "__AllParameterSets").Distinct().ToList();
        if (sets.Count > 1) Assert.Contains(c.DefaultParameterSetName, sets);
        // Within one set, positions are unique.
        foreach (var set in sets.DefaultIfEmpty("__AllParameterSets"))
        {
            var positions = parameters.SelectMany(p => p.Parameters.Where(a => p.SetName(a) == set || p.SetName(a) == "__AllParameterSets")
                                                     .Select(p.Position)).Where(x => x != int.MinValue).ToList();
            Assert.Equal(positions.Count, positions.Distinct().Count());
        }
        // A switch is never positional, and mandatory only as the selector of one named parameter set
        // (ImageBuilder's New-EsxImageProfile -NewProfile).
        foreach (var p in parameters.Where(p => p.Property.PropertyType.FullName == "System.Management.Automation.SwitchParameter"))
            Assert.All(p.Parameters, a =>
            {
                Assert.Equal(int.MinValue, p.Position(a));
                if (p.Mandatory(a)) Assert.True(p.Parameters.Count == 1 && p.SetName(a) != "__AllParameterSets", $"{name}: -{p.Name} is a mandatory switch outside a single set of its own");
            });
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void ParameterAliasesNeverCollide(string name)
    {
        var parameters = ParameterInfoData.For(Get(name).Type);
        var names = parameters.Select(p => p.Name).Concat(parameters.SelectMany(p => p.Aliases)).ToList();
        var dupes = names.GroupBy(n => n, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.Empty(dupes);
    }

    [Fact]
    public void ManifestListsExactlyTheCmdletsAndAliasesTheAssemblyDefines()
    {
        var m = Manifest.Load();
        var cmdlets = CmdletInfoData.All.Select(c => c.Name).OrderBy(x => x, StringComparer.Ordinal).ToList();
        Assert.Equal(cmdlets, m.Array("CmdletsToExport").OrderBy(x => x, StringComparer.Ordinal).ToList());
        var aliases = CmdletInfoData.All.SelectMany(c => c.Aliases).OrderBy(x => x, StringComparer.Ordinal).ToList();
        Assert.Equal(aliases, m.Array("AliasesToExport").OrderBy(x => x, StringComparer.Ordinal).ToList());
        Assert.DoesNotContain(m.Array("CmdletsToExport").Concat(m.Array("AliasesToExport")), x => x.Contains('*'));
    }

    [Fact]
    public void ManifestDeclaresEditionsVersionFilesAndGalleryData()
    {
        var m = Manifest.Load();
        Assert.Equal("ESXiImageTools.dll", m.Scalar("RootModule"));
        Assert.Equal(ModuleAssembly.Assembly.GetName().Version.ToString(3), m.Scalar("ModuleVersion"));
        Assert.True(Guid.TryParse(m.Scalar("GUID"), out _));
        Assert.Equal(new[] { "Desktop", "Core" }, m.Array("CompatiblePSEditions"));
        Assert.Equal("5.1", m.Scalar("PowerShellVersion"));
        Assert.Empty(m.Array("FunctionsToExport"));
        Assert.Empty(m.Array("VariablesToExport"));
        foreach (var f in m.Array("FormatsToProcess").Concat(m.Array("TypesToProcess")))
            Assert.True(File.Exists(Path.Combine(RepoRoot.Path, "src", "ESXiImageTools", f)), $"{f} is staged from src/ESXiImageTools/");
        var tags = m.Array("Tags");
        foreach (var t in new[] { "PSEdition_Desktop", "PSEdition_Core", "Windows", "Linux", "MacOS", "VMware", "ESXi" })
            Assert.Contains(t, tags);
        foreach (var k in new[] { "ProjectUri", "LicenseUri", "ReleaseNotes" }) Assert.NotEmpty(m.Scalar(k));
        Assert.True(File.Exists(Path.Combine(RepoRoot.Path, "LICENSE")));
    }

    [Fact]
    public void LoaderIsTheFirstNestedModuleAndReferencesNothingOfTheEngine()
    {
        // The loader runs before PowerShell reflects over the cmdlet
        // assembly, so it must itself load without the engine.
        Assert.Equal(new[] { "ESXiImageTools.Loader.dll" }, Manifest.Load().Array("NestedModules"));
        var loader = typeof(ESXiImageTools.Infrastructure.DependencyLoader).Assembly;
        Assert.Equal("ESXiImageTools.Loader", loader.GetName().Name);
        var references = loader.GetReferencedAssemblies().Select(r => r.Name).ToList();
        Assert.DoesNotContain(references, r => r.StartsWith("ESXiImageTools", StringComparison.Ordinal) || r.Contains("SharpZipLib"));
        Assert.All(references, r => Assert.True(r == "netstandard" || r == "System.Management.Automation", $"the loader references {r}"));
        // Loading is the loader's job: the cmdlet assembly's one import hook adds ImageBuilder's type names, which runs
        // after the loader (the engine types it names resolve by then) and loads nothing itself.
        Assert.Equal(new[] { typeof(ESXiImageTools.Infrastructure.ImageBuilderTypeNames) },
            ModuleAssembly.Assembly.GetExportedTypes().Where(t => t.GetInterfaces().Any(i => i.Name == "IModuleAssemblyInitializer")));
    }

    [Fact]
    public void ModuleTargetsNetStandard20()
    {
        var tfm = ModuleAssembly.Assembly.GetCustomAttributesData().Single(a => a.AttributeType == typeof(TargetFrameworkAttribute));
        Assert.Equal(".NETStandard,Version=v2.0", tfm.ConstructorArguments[0].Value);
        var coreTfm = ModuleAssembly.CoreAssembly.GetCustomAttribute<TargetFrameworkAttribute>();
        Assert.Equal(".NETStandard,Version=v2.0", coreTfm.FrameworkName);
    }

    [Fact]
    public void NoSystemManagementAutomationInAnyModuleOutput()
    {
        var bin = Path.Combine(RepoRoot.Path, "src", "ESXiImageTools", "bin");
        var outputs = new List<string> { AppContext.BaseDirectory };
        if (Directory.Exists(bin)) outputs.AddRange(Directory.GetDirectories(bin, "netstandard2.0", SearchOption.AllDirectories));
        var staged = Path.Combine(RepoRoot.Path, "out", "ESXiImageTools");
        if (Directory.Exists(staged)) outputs.Add(staged);
        Assert.Contains(outputs, o => File.Exists(Path.Combine(o, "ESXiImageTools.dll")));
        foreach (var o in outputs)
            Assert.Empty(Directory.GetFiles(o, "System.Management.Automation.dll", SearchOption.AllDirectories));
    }

    [Fact]
    public void CmdletAliasesAreTheImageBuilderNames()
    {
        var aliases = CmdletInfoData.All.SelectMany(c => c.Aliases).ToList();
        // ImageBuilder's session cmdlets, and its ESXi 7.0+ depot cmdlets (vSphere 7 "Cmdlets Used with New Content in Software
        // Depots"; New-OfflineBundle from VMware.ImageBuilder's CmdletsToExport and its PowerCLI reference page).
        Assert.All(aliases, a => Assert.Matches("^([A-Z][a-z]+-Esx(Software|Image)[A-Za-z]+|Get-Depot(Info|Vibs|Components|BaseImages|Addons)|New-(Iso|Pxe)Image|New-OfflineBundle)$", a));
        Assert.Equal(aliases.Count, aliases.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        var names = new HashSet<string>(CmdletInfoData.All.Select(c => c.Name), StringComparer.OrdinalIgnoreCase);
        Assert.DoesNotContain(aliases, names.Contains);
    }
}
