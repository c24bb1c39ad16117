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

    private static string Map(EsxErrorCategory c)
        => ModuleAssembly.Assembly.GetType("ESXiImageTools.Infrastructure.EsxErrors", throwOnError: true)
            .GetMethod("ToErrorCategory").Invoke(null, new object[] { c }).ToString();
}
