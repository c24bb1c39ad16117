using System;
using Xunit;

namespace ESXiImageTools.TestSupport;

/// <summary>
/// The runtime the tests run on. The net48 build runs under Mono on Linux (Windows PowerShell 5.1's runtime,
/// .NET Framework, is not available here); where Mono itself differs from the .NET Framework, a test may skip on
/// Mono alone, naming the defect (<see cref="FactExceptOnMonoAttribute"/>).
/// </summary>
public static class TestRuntime
{
    /// <summary>True under Mono (which reports itself as "Mono …", not ".NET Framework").</summary>
    public static bool IsMono { get; } = Type.GetType("Mono.Runtime") != null;

    /// <summary>True for the .NET Framework build (net48), whether on Windows or under Mono.</summary>
    public static bool IsNetFramework =>
#if NETFRAMEWORK
        true;
#else
        false;
#endif

    internal static string MonoSkip(string monoDefect)
        => IsMono ? "Mono defect, not the .NET Framework's (runs on .NET and on Windows' .NET Framework): " + monoDefect : null;
}

/// <summary>A fact that runs everywhere but under Mono, where <paramref name="monoDefect"/> (a defect of Mono, not of
/// the .NET Framework it stands in for) would fail it.</summary>
public sealed class FactExceptOnMonoAttribute : FactAttribute
{
    public FactExceptOnMonoAttribute(string monoDefect) => Skip = TestRuntime.MonoSkip(monoDefect);
}

/// <summary>The theory form of <see cref="FactExceptOnMonoAttribute"/>.</summary>
public sealed class TheoryExceptOnMonoAttribute : TheoryAttribute
{
    public TheoryExceptOnMonoAttribute(string monoDefect) => Skip = TestRuntime.MonoSkip(monoDefect);
}

/// <summary>The defects of Mono 6.8 the net48 leg meets, named once.</summary>
public static class MonoDefect
{
    public const string DeflateIOException =
        "Mono's DeflateStream reports corrupt data as IOException \"Corrupted data\", not InvalidDataException";
    public const string ZipArchiveIOException =
        "Mono's ZipArchive reports a central directory running past the end as IOException \"Zip file corrupt\", not InvalidDataException";
    public const string OversizedArrayOutOfMemory =
        "Mono reports an array too large to allocate as OutOfMemoryException where the CLR (.NET and .NET Framework) throws OverflowException";
    public const string NoCertificateRequest =
        "Mono lacks System.Security.Cryptography.X509Certificates.CertificateRequest (in .NET Framework 4.7.2+)";
}
