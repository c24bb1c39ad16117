using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using ESXiImageTools.Infrastructure;
using ESXiImageTools.TestSupport;
using Xunit;

namespace ESXiImageTools.Tests;

/// <summary>
/// The private loading of the engine and SharpZipLib, exercised on the real .NET runtime: the test
/// process already holds its own copies of both in the default context, which is exactly the
/// "another module loaded SharpZipLib first" situation the isolation is for.
/// </summary>
public sealed class DependencyIsolationTests : IDisposable
{
    private readonly TempDir _dir = new TempDir();
    private readonly string _deps;

    public DependencyIsolationTests()
    {
        _deps = Path.Combine(_dir.Path, "Dependencies");
        Directory.CreateDirectory(_deps);
        foreach (var name in DependencyIsolation.PrivateAssemblyNames)
            File.Copy(Path.Combine(AppContext.BaseDirectory, name + ".dll"), Path.Combine(_deps, name + ".dll"));
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void EngineAndSharpZipLibLoadPrivatelyEvenWhenTheDefaultContextHasCopies()
    {
        var defaultZip = Assembly.Load(new AssemblyName("ICSharpCode.SharpZipLib"));
        Assert.Same(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(defaultZip));

        var isolation = new DependencyIsolation(_deps);
        Assert.True(isolation.Install());
        try
        {
            var context = Assert.IsAssignableFrom<AssemblyLoadContext>(isolation.PrivateContext);
            Assert.Equal(DependencyIsolation.ContextName, context.Name);

            var core = isolation.OnDefaultResolving(AssemblyLoadContext.Default, new AssemblyName("ESXiImageTools.Core"));
            Assert.NotNull(core);
            Assert.Same(context, AssemblyLoadContext.GetLoadContext(core));
            Assert.NotSame(typeof(ESXiImageTools.Core.Packages.Vib).Assembly, core);
            Assert.StartsWith(_deps, core.Location);

            // The engine's reference to SharpZipLib binds inside the private context, to our file.
            // (By the file's own name while the engine does not reference it yet: the compiler drops unused references.)
            var zipRef = core.GetReferencedAssemblies().SingleOrDefault(n => n.Name == "ICSharpCode.SharpZipLib")
                         ?? AssemblyName.GetAssemblyName(Path.Combine(_deps, "ICSharpCode.SharpZipLib.dll"));
            var zip = context.LoadFromAssemblyName(zipRef);
            Assert.Same(context, AssemblyLoadContext.GetLoadContext(zip));
            Assert.NotSame(defaultZip, zip);
            Assert.StartsWith(_deps, zip.Location);

            // Only the engine is handed to the default context; SharpZipLib and strangers are not.
            Assert.Null(isolation.OnDefaultResolving(AssemblyLoadContext.Default, zipRef));
            Assert.Null(isolation.OnDefaultResolving(AssemblyLoadContext.Default, new AssemblyName("Some.Other.Module")));

            // Re-import after removal reuses the loaded engine instead of loading a second copy.
            isolation.Uninstall();
            Assert.True(isolation.Install());
            Assert.Same(core, isolation.OnDefaultResolving(AssemblyLoadContext.Default, new AssemblyName("ESXiImageTools.Core")));
        }
        finally
        {
            isolation.Uninstall();
        }
    }

    [Fact]
    public void WithoutDependenciesFolderNothingIsInstalled()
    {
        var isolation = new DependencyIsolation(Path.Combine(_dir.Path, "absent"));
        Assert.False(isolation.Install());
        Assert.Null(isolation.PrivateContext);
    }

    [Fact]
    public void DesktopResolverAnswersOnlyForOurFilesAtASufficientVersion()
    {
        var isolation = new DependencyIsolation(_deps);
        var zipVersion = AssemblyName.GetAssemblyName(Path.Combine(_deps, "ICSharpCode.SharpZipLib.dll")).Version;
        var tooNew = new Version(zipVersion.Major + 1, 0, 0, 0);
        Assert.Null(isolation.OnAssemblyResolve(null, new ResolveEventArgs($"ICSharpCode.SharpZipLib, Version={tooNew}")));
        Assert.Null(isolation.OnAssemblyResolve(null, new ResolveEventArgs("Not.In.Our.Folder, Version=1.0.0.0")));
    }
}
