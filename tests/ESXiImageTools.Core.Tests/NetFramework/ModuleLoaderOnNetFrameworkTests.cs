#if NETFRAMEWORK
using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Threading;
using ESXiImageTools.TestSupport;
using Xunit;

namespace ESXiImageTools.Core.Tests.NetFramework;

/// <summary>
/// The module's loader on the .NET Framework (Windows PowerShell 5.1's runtime; here Mono): its AppDomain.AssemblyResolve
/// branch, which .NET never takes. A fresh AppDomain whose base folder is a module staged as build.ps1 stages it — the
/// cmdlet and loader assemblies at the top, the engine and its dependencies in Dependencies/, with another module's older
/// SharpZipLib (1.2.0) loaded first — installs the loader, loads the cmdlet assembly, binds its
/// engine reference and opens and verifies a depot through that engine.
/// </summary>
public class ModuleLoaderOnNetFrameworkTests
{
    private static string ModuleBuild => RepoRoot.Path == null ? null
        : Path.Combine(RepoRoot.Path, "src", "ESXiImageTools", "bin", "Release", "netstandard2.0");

    [Fact]
    public void The_assembly_resolve_branch_serves_the_engine_and_SharpZipLib_from_Dependencies()
    {
        var build = ModuleBuild;
        // `dotnet test ESXiImageTools.sln -c Release` builds the module first; a lone test-project build may not have.
        Assert.True(build != null && File.Exists(Path.Combine(build, "ESXiImageTools.dll")),
            "the module is not built (dotnet build src/ESXiImageTools -c Release): " + build);
        using var tmp = new TempDir();
        var module = tmp.File("ESXiImageTools");
        var deps = Path.Combine(module, "Dependencies");
        Directory.CreateDirectory(deps);
        foreach (var dll in Directory.GetFiles(build, "*.dll"))
        {
            var name = Path.GetFileName(dll);
            var top = name == "ESXiImageTools.dll" || name == "ESXiImageTools.Loader.dll";
            File.Copy(dll, Path.Combine(top ? module : deps, name));
        }
        var nuget = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                    ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var olderZip = Path.Combine(nuget, "sharpziplib", "1.2.0", "lib", "netstandard2.0", "ICSharpCode.SharpZipLib.dll");
        Assert.True(File.Exists(olderZip), "SharpZipLib 1.2.0 (restored for the Pester isolation test) is missing: " + olderZip);
        // Another module's copy, loaded before ours (as Windows PowerShell loads modules from their own folders).
        var other = tmp.File("OtherModule");
        Directory.CreateDirectory(other);
        File.Copy(olderZip, Path.Combine(other, "ICSharpCode.SharpZipLib.dll"));

        var fx = EsxImageFixture.Create(tmp.File("vibs"));
        var bundle = new BundleBuilder();
        foreach (var v in fx.All) bundle.AddBuiltVib(Path.Combine(fx.Directory, v.Id + ".vib"));
        bundle.Write(tmp.File("depot.zip"));

        var domain = AppDomain.CreateDomain("module", null, new AppDomainSetup { ApplicationBase = module, ShadowCopyFiles = "false" });
        try
        {
            // The probe's assembly alone in a folder of its own: beside it in the test output lies another engine copy.
            var probeDir = tmp.File("probe");
            Directory.CreateDirectory(probeDir);
            var probeDll = Path.Combine(probeDir, Path.GetFileName(typeof(ModuleProbe).Assembly.Location));
            File.Copy(typeof(ModuleProbe).Assembly.Location, probeDll);
            var probe = (ModuleProbe)domain.CreateInstanceFromAndUnwrap(probeDll, typeof(ModuleProbe).FullName);
            var result = probe.Run(module, Path.Combine(other, "ICSharpCode.SharpZipLib.dll"), tmp.File("depot.zip")).Split('|');
            Assert.Equal("installed", result[0]);
            Assert.Equal("engine from the handler", result[1]);     // the engine the cmdlet assembly bound to
            Assert.Equal(fx.All.Count.ToString(), result[2]);       // packages of the depot opened through it
            Assert.Equal("verified", result[3]);
            // Side by side: the other module keeps its copy, the engine gets 1.4.1, whose only file in reach is in
            // Dependencies/ (bound beside the engine, which the handler loaded from there, or by the handler itself).
            Assert.Equal(new[] { "SharpZipLib 1.2.0.246", "SharpZipLib 1.4.1.12" },
                         result[4].Split(',').OrderBy(x => x, StringComparer.Ordinal));
        }
        finally { AppDomain.Unload(domain); }
    }
}

/// <summary>Runs inside the module's AppDomain, by reflection only: nothing here binds to the engine statically.</summary>
public sealed class ModuleProbe : MarshalByRefObject
{
    public string Run(string module, string otherZip, string depotZip)
    {
        const BindingFlags Any = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static;
        Assembly.LoadFrom(otherZip);
        var loader = Assembly.LoadFrom(Path.Combine(module, "ESXiImageTools.Loader.dll"));
        var isolationType = loader.GetType("ESXiImageTools.Infrastructure.DependencyIsolation", throwOnError: true);
        var isolation = Activator.CreateInstance(isolationType, Any, null, new object[] { Path.Combine(module, "Dependencies") }, null);
        var installed = (bool)isolationType.GetMethod("Install", Any).Invoke(isolation, null);
        if (isolationType.GetProperty("PrivateContext", Any).GetValue(isolation) != null) return "took the AssemblyLoadContext branch";

        var cmdlets = Assembly.LoadFrom(Path.Combine(module, "ESXiImageTools.dll"));
        var core = Assembly.Load(cmdlets.GetReferencedAssemblies().Single(n => n.Name == "ESXiImageTools.Core"));
        var reader = core.GetType("ESXiImageTools.Core.Depots.DepotReader", throwOnError: true);
        var open = reader.GetMethods().Single(m => m.Name == "Open" && m.GetParameters().Length == 4);
        var depot = open.Invoke(null, new object[] { depotZip, null, null, CancellationToken.None });
        var packages = (System.Collections.IList)depot.GetType().GetProperty("Packages").GetValue(depot);
        var verifier = core.GetType("ESXiImageTools.Core.Packages.VibVerifier", throwOnError: true);
        var verify = verifier.GetMethods().First(m => m.Name == "VerifyAll");
        foreach (var p in packages)
            verify.Invoke(null, verify.GetParameters().Select((x, i) => i == 0 ? p : x.HasDefaultValue ? x.DefaultValue : (x.ParameterType == typeof(CancellationToken) ? (object)CancellationToken.None : null)).ToArray());
        // The handler records what it served (only files of its folder); Location would name Mono's shadow copy.
        var served = (System.Collections.Generic.IDictionary<string, Assembly>)isolationType.GetField("_loaded", Any).GetValue(isolation);
        var zips = AppDomain.CurrentDomain.GetAssemblies().Where(a => a.GetName().Name == "ICSharpCode.SharpZipLib")
                            .Select(a => $"SharpZipLib {a.GetName().Version}");
        return string.Join("|", installed ? "installed" : "not installed",
                           served.Values.Contains(core) ? "engine from the handler" : "engine from " + core.Location,
                           packages.Count, "verified", string.Join(",", zips));
    }
}
#endif
