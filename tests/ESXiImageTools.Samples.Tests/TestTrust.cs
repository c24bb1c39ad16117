using System.Runtime.CompilerServices;

namespace ESXiImageTools.Samples.Tests;

/// <summary>Before any test: trust the test run's signing certificate and the sample's test key (TestSigning).</summary>
internal static class TestTrust
{
    [ModuleInitializer]
    internal static void Initialize() => ESXiImageTools.TestSupport.TestSigning.TrustForTests();
}
