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
