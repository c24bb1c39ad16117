using System;
using System.Linq;
using ESXiImageTools.Core.Diagnostics;
using Xunit;

namespace ESXiImageTools.Tests;

/// <summary>Engine error categories map one to one onto PowerShell's ErrorCategory by name.</summary>
public class ErrorMappingTests
{
    [Fact]
    public void EveryEngineCategoryNamesAPowerShellErrorCategory()
    {
        var errorCategory = ModuleAssembly.Assembly.GetType("ESXiImageTools.Infrastructure.EsxCmdlet").BaseType.Assembly
            .GetType("System.Management.Automation.ErrorCategory", throwOnError: true);
        var names = Enum.GetNames(errorCategory);
        foreach (var c in Enum.GetNames(typeof(EsxErrorCategory)))
            Assert.Contains(c, names);
    }

    [Fact]
    public void MappingKeepsTheName()
    {
        foreach (EsxErrorCategory c in Enum.GetValues(typeof(EsxErrorCategory)))
            Assert.Equal(c.ToString(), Map(c));
    }

    [Theory]
    [InlineData("'x' already exists (use --force / -Force to replace it)", "'x' already exists (use -Force to replace it)")]
    [InlineData("x exists; use -Force (CLI: --force) to replace it", "x exists; use -Force to replace it")]
    [InlineData("fails validation, so it is not exported (use -Force / --force to export anyway): e", "fails validation, so it is not exported (use -AllowInvalidProfile to export anyway): e")]
    [InlineData("depends on y (use -Force / --force to remove anyway)", "depends on y (use -Force to remove anyway)")]
    [InlineData("lower it with Set-EsxProfile -AcceptanceLevel CommunitySupported (CLI: --acceptance community)", "lower it with Set-EsxProfile -AcceptanceLevel CommunitySupported")]
    [InlineData("clone it to edit (New-EsxProfile -CloneProfile / esximage build --profile)", "clone it to edit (New-EsxProfile -CloneProfile)")]
    public void PowerShellMessagesCarryNoCommandLineHints(string engine, string expected)
        => Assert.Equal(expected, ESXiImageTools.Infrastructure.EsxErrors.ForPowerShell(engine));

    private static string Map(EsxErrorCategory c)
        => ModuleAssembly.Assembly.GetType("ESXiImageTools.Infrastructure.EsxErrors", throwOnError: true)
            .GetMethod("ToErrorCategory").Invoke(null, new object[] { c }).ToString();
}

/// <summary>Issue 11: an exception that escapes the engine becomes one InternalError record that says it is a bug.</summary>
public class InternalErrorTests
{
    private static Type Errors => ModuleAssembly.Assembly.GetType("ESXiImageTools.Infrastructure.EsxErrors", throwOnError: true);

    [Fact]
    public void An_untyped_exception_becomes_InternalError_naming_its_type_with_control_characters_escaped()
    {
        var e = (EsxException)Errors.GetMethod("InternalException").Invoke(null, new object[] { new InvalidCastException("bad\0cast"), "target" });
        Assert.Equal(ErrorCodes.InternalError, e.Code);
        Assert.Equal("this is a bug, please report it: System.InvalidCastException: bad\\x00cast", e.Message);
        Assert.IsType<InvalidCastException>(e.InnerException);
    }

    [Fact]
    public void Only_untyped_exceptions_count_as_unexpected()
    {
        bool Unexpected(Exception x) => (bool)Errors.GetMethod("IsUnexpected").Invoke(null, new object[] { x });
        Assert.True(Unexpected(new InvalidCastException()));
        Assert.True(Unexpected(new System.IO.InvalidDataException()));
        Assert.False(Unexpected(new EsxException("X", EsxErrorCategory.InvalidData, "typed")));
        Assert.False(Unexpected(new OperationCanceledException()));
    }

    [Fact]
    public void The_cmdlet_base_routes_untyped_exceptions_to_the_InternalError_record()
    {
        // Read from the IL's metadata: TryRun and RunWithProgress both reference EsxErrors.Internal.
        var cmdlet = ModuleAssembly.Assembly.GetType("ESXiImageTools.Infrastructure.EsxCmdlet", throwOnError: true);
        var internalToken = Errors.GetMethod("Internal").MetadataToken;
        foreach (var name in new[] { "TryRun", "RunWithProgress" })
        {
            var m = cmdlet.GetMethod(name, System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic);
            var il = m.GetMethodBody().GetILAsByteArray();
            bool calls = false;
            for (int i = 0; i + 4 < il.Length; i++)
                if (il[i] == 0x28 && BitConverter.ToInt32(il, i + 1) == internalToken) calls = true; // call <token>
            Assert.True(calls, $"{name} does not call EsxErrors.Internal");
        }
    }
}
