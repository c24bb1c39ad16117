using System;
using System.Linq;
using Xunit;

namespace ESXiImageTools.Tests;

/// <summary>
/// The designed pipeline bindings and ImageBuilder parameter aliases: what a user pipes into each cmdlet
/// and which old parameter names keep working. A change here is an interface change.
/// </summary>
public class PipelineDesignTests
{
    [Theory]
    [InlineData("Add-EsxDepot", "Path", true, true)]
    [InlineData("Remove-EsxDepot", "Depot", true, false)]
    [InlineData("Get-EsxPackage", "Depot", true, false)]
    [InlineData("Get-EsxPackage", "Path", false, true)]
    [InlineData("Get-EsxPackage", "Package", true, false)]
    [InlineData("Get-EsxProfile", "Depot", true, false)]
    [InlineData("Get-EsxProfile", "Name", false, true)]
    [InlineData("New-EsxProfile", "CloneProfile", true, false)]
    [InlineData("Add-EsxPackage", "Package", true, false)]
    [InlineData("Remove-EsxPackage", "Package", true, false)]
    [InlineData("Set-EsxProfile", "Profile", true, false)]
    [InlineData("Remove-EsxProfile", "Profile", true, false)]
    [InlineData("Test-EsxProfile", "Profile", true, false)]
    [InlineData("Compare-EsxProfile", "ComparisonProfile", true, false)]
    [InlineData("Export-EsxProfileSpec", "Profile", true, false)]
    [InlineData("Export-EsxProfileToIso", "Profile", true, true)]
    [InlineData("Export-EsxProfileToIso", "FilePath", false, true)]
    [InlineData("Export-EsxProfileToBundle", "Profile", true, true)]
    [InlineData("Export-EsxImageProfile", "ImageProfile", true, true)]
    [InlineData("Export-EsxImageProfile", "FilePath", false, true)]
    [InlineData("Get-EsxComponent", "Depot", true, false)]
    [InlineData("Get-EsxBaseImage", "Depot", true, false)]
    [InlineData("Get-EsxAddon", "Depot", true, false)]
    public void PipelineBindingIsAsDesigned(string cmdlet, string parameter, bool byValue, bool byPropertyName)
    {
        var c = CmdletInfoData.All.SingleOrDefault(x => x.Name == cmdlet);
        Assert.True(c != null, $"{cmdlet} is not defined");
        var p = ParameterInfoData.For(c.Type).Single(x => x.Name == parameter);
        Assert.Equal(byValue, p.ByValue);
        Assert.Equal(byPropertyName, p.ByPropertyName);
        // Only one parameter per set takes whole objects by value: PowerShell could not choose otherwise.
        var byValueCount = ParameterInfoData.For(c.Type).Count(x => x.ByValue && x.Parameters.Any(a => x.SetName(a) == p.SetName(p.Parameters[0]) || x.SetName(a) == "__AllParameterSets"));
        if (byValue) Assert.Equal(1, byValueCount);
    }

    [Theory]
    [InlineData("Add-EsxDepot", "Path", "DepotUrl")]
    [InlineData("Remove-EsxDepot", "Depot", "SoftwareDepot")]
    [InlineData("Get-EsxPackage", "Depot", "SoftwareDepot")]
    [InlineData("Get-EsxPackage", "Path", "PackageUrl")]
    [InlineData("Get-EsxProfile", "Depot", "SoftwareDepot")]
    [InlineData("New-EsxProfile", "Package", "SoftwarePackage")]
    [InlineData("Add-EsxPackage", "Profile", "ImageProfile")]
    [InlineData("Add-EsxPackage", "Package", "SoftwarePackage")]
    [InlineData("Remove-EsxPackage", "Profile", "ImageProfile")]
    [InlineData("Remove-EsxPackage", "Package", "SoftwarePackage")]
    [InlineData("Set-EsxProfile", "Profile", "ImageProfile")]
    [InlineData("Remove-EsxProfile", "Profile", "ImageProfile")]
    [InlineData("Test-EsxProfile", "Profile", "ImageProfile")]
    [InlineData("Export-EsxProfileSpec", "Profile", "ImageProfile")]
    [InlineData("Export-EsxProfileToIso", "Profile", "ImageProfile")]
    [InlineData("Export-EsxProfileToBundle", "Profile", "ImageProfile")]
    [InlineData("Get-EsxComponent", "Depot", "SoftwareDepot")]
    [InlineData("Get-EsxComponent", "Profile", "ImageProfile")]
    public void ImageBuilderParameterNamesAreAliases(string cmdlet, string parameter, string alias)
    {
        var c = CmdletInfoData.All.Single(x => x.Name == cmdlet);
        Assert.Contains(alias, ParameterInfoData.For(c.Type).Single(x => x.Name == parameter).Aliases);
    }

    [Theory]
    [InlineData("Add-EsxDepot", "Add-EsxSoftwareDepot")]
    [InlineData("Get-EsxDepot", "Get-EsxSoftwareDepot")]
    [InlineData("Remove-EsxDepot", "Remove-EsxSoftwareDepot")]
    [InlineData("Get-EsxPackage", "Get-EsxSoftwarePackage")]
    [InlineData("Get-EsxProfile", "Get-EsxImageProfile")]
    [InlineData("New-EsxProfile", "New-EsxImageProfile")]
    [InlineData("Set-EsxProfile", "Set-EsxImageProfile")]
    [InlineData("Remove-EsxProfile", "Remove-EsxImageProfile")]
    [InlineData("Add-EsxPackage", "Add-EsxSoftwarePackage")]
    [InlineData("Remove-EsxPackage", "Remove-EsxSoftwarePackage")]
    [InlineData("Compare-EsxProfile", "Compare-EsxImageProfile")]
    public void ImageBuilderCmdletNamesAreAliases(string cmdlet, string alias)
        => Assert.Contains(alias, CmdletInfoData.All.Single(x => x.Name == cmdlet).Aliases);

    [Fact]
    public void ProfileParametersCompleteProfileNames()
    {
        foreach (var c in CmdletInfoData.All)
            foreach (var p in ParameterInfoData.For(c.Type).Where(p => p.Property.PropertyType.Name.StartsWith("ProfileArgument", StringComparison.Ordinal)))
                Assert.True(p.Property.GetCustomAttributesData().Any(a => a.AttributeType.Name == "ArgumentCompleterAttribute"
                                                                        && (Type)a.ConstructorArguments[0].Value == ModuleAssembly.Assembly.GetType("ESXiImageTools.Infrastructure.ProfileNameCompleter")),
                    $"{c.Name} -{p.Name} has no profile-name completer");
    }
}

public class ExportCompatibilityTests
{
    [Fact]
    public void ExportEsxImageProfileHasOneParameterSetPerOutputKind()
    {
        var c = CmdletInfoData.All.Single(x => x.Name == "Export-EsxImageProfile");
        var ps = ParameterInfoData.For(c.Type);
        var iso = ps.Single(p => p.Name == "ExportToIso").Parameters.Single();
        var bundle = ps.Single(p => p.Name == "ExportToBundle").Parameters.Single();
        // Not mandatory: a mandatory switch of the default set makes PowerShell prompt for it; the cmdlet says which is missing.
        Assert.False(AttributeData.Named(iso, "Mandatory", false));
        Assert.False(AttributeData.Named(bundle, "Mandatory", false));
        Assert.NotEqual(AttributeData.Named<string>(iso, "ParameterSetName"), AttributeData.Named<string>(bundle, "ParameterSetName"));
        foreach (var name in new[] { "ImageProfile", "FilePath", "Force", "NoSignatureCheck" })
            Assert.Contains(ps, p => p.Name == name);
    }
}
