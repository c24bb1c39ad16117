using System;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using Xunit;

namespace ESXiImageTools.Tests.Help;

/// <summary>Every cmdlet and parameter has help, and the committed MAML is what the markdown generates.</summary>
public class HelpTests
{
    [Theory]
    [MemberData(nameof(CmdletConventionTests.Cmdlets), MemberType = typeof(CmdletConventionTests))]
    public void EveryCmdletAndParameterIsDocumented(string name)
    {
        var c = CmdletInfoData.All.Single(x => x.Name == name);
        var path = Path.Combine(CmdletHelpSource.Folder, name + ".md");
        Assert.True(File.Exists(path), $"missing help source {path}");
        var help = CmdletHelpSource.Load(name);
        Assert.Equal(name, help.Name);
        Assert.False(string.IsNullOrWhiteSpace(help.Synopsis), $"{name}: SYNOPSIS is empty");
        Assert.False(string.IsNullOrWhiteSpace(help.Description), $"{name}: DESCRIPTION is empty");
        Assert.False(string.IsNullOrWhiteSpace(help.Outputs), $"{name}: OUTPUTS is empty");
        var parameters = ParameterInfoData.For(c.Type).Select(p => p.Name).ToList();
        foreach (var p in parameters)
            Assert.True(help.Parameters.TryGetValue(p, out var text) && text.Trim().Length >= 10, $"{name}: parameter -{p} lacks help");
        foreach (var documented in help.Parameters.Keys)
            Assert.True(parameters.Contains(documented, StringComparer.OrdinalIgnoreCase), $"{name}: help documents -{documented}, which does not exist");
        Assert.NotEmpty(help.Examples);
        var callNames = c.Aliases.Append(name).ToList();
        foreach (var e in help.Examples)
        {
            Assert.Contains(callNames, n => e.Code.Contains(n, StringComparison.OrdinalIgnoreCase));
            Assert.False(string.IsNullOrWhiteSpace(e.Remarks), $"{name}: example '{e.Title}' has no remarks");
        }
    }

    [Fact]
    public void CommittedMamlIsUpToDate()
    {
        var generated = MamlGenerator.Generate(CmdletInfoData.All);
        if (Environment.GetEnvironmentVariable("ESXIIMAGETOOLS_UPDATE_HELP") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(MamlGenerator.OutputPath));
            File.WriteAllText(MamlGenerator.OutputPath, generated);
        }
        Assert.True(File.Exists(MamlGenerator.OutputPath), "en-US/ESXiImageTools.dll-Help.xml is missing; regenerate with ESXIIMAGETOOLS_UPDATE_HELP=1");
        var committed = File.ReadAllText(MamlGenerator.OutputPath).Replace("\r\n", "\n");
        Assert.True(committed == generated,
            "en-US/ESXiImageTools.dll-Help.xml is out of date with docs/cmdlets/*.md or the cmdlets' parameters; " +
            "regenerate: ESXIIMAGETOOLS_UPDATE_HELP=1 dotnet test tests/ESXiImageTools.Tests --filter FullyQualifiedName~Help");
    }

    [Fact]
    public void MamlHasOneCommandPerCmdletWithEveryParameter()
    {
        XNamespace command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
        XNamespace maml = "http://schemas.microsoft.com/maml/2004/10";
        var doc = XDocument.Load(MamlGenerator.OutputPath);
        var commands = doc.Root.Elements(command + "command").ToList();
        Assert.Equal(CmdletInfoData.All.Select(c => c.Name).OrderBy(x => x, StringComparer.Ordinal),
                     commands.Select(c => c.Element(command + "details").Element(command + "name").Value).OrderBy(x => x, StringComparer.Ordinal));
        foreach (var c in CmdletInfoData.All)
        {
            var cmd = commands.Single(x => x.Element(command + "details").Element(command + "name").Value == c.Name);
            var documented = cmd.Element(command + "parameters").Elements(command + "parameter").ToList();
            foreach (var p in ParameterInfoData.For(c.Type))
            {
                var e = documented.Single(d => d.Element(maml + "name").Value == p.Name);
                Assert.NotEmpty(e.Element(maml + "description").Elements(maml + "para"));
            }
            Assert.NotEmpty(cmd.Element(command + "examples").Elements(command + "example"));
        }
    }

    [Fact]
    public void AboutTopicTellsTheWorkflow()
    {
        var about = File.ReadAllText(Path.Combine(ESXiImageTools.TestSupport.RepoRoot.Path, "en-US", "about_ESXiImageTools.help.txt"));
        Assert.StartsWith("TOPIC", about.TrimStart());
        foreach (var c in CmdletInfoData.All) Assert.Contains(c.Name, about);
    }
}
