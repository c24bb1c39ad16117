using System.IO;
using System.Runtime.CompilerServices;

namespace ESXiImageTools.Core.Tests;

/// <summary>Before any test: trust the test run's signing certificate (TestSigning); the sample's key is named where used.</summary>
internal static class TestTrust
{
    [ModuleInitializer]
    internal static void Initialize()
    {
        // The .NET Framework loader test loads this assembly into an AppDomain that holds only the staged module, where
        // TestSupport cannot be found; nothing there exports a fixture.
        try { Trust(); }
        catch (FileNotFoundException) { }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Trust() => ESXiImageTools.TestSupport.TestSigning.TrustForTests();
}
