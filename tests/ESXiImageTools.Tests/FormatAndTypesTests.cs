using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using ESXiImageTools.TestSupport;
using Xunit;

namespace ESXiImageTools.Tests;

/// <summary>The format and types files are valid XML and name real types and real properties.</summary>
public class FormatAndTypesTests
{
    private static string FilePath(string name) => Path.Combine(RepoRoot.Path, "src", "ESXiImageTools", name);

    private static XDocument LoadSafely(string path)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
        using var reader = XmlReader.Create(path, settings);
        return XDocument.Load(reader);
    }

    private static Type Resolve(string typeName)
    {
        var t = ModuleAssembly.FindType(typeName);
        Assert.True(t != null, $"'{typeName}' is not a type in the engine or the module");
        return t;
    }

    /// <summary>Aliases the types file adds, by type name.</summary>
    private static Dictionary<string, HashSet<string>> ExtendedMembers()
        => LoadSafely(FilePath("ESXiImageTools.Types.ps1xml")).Root.Elements("Type")
            .ToDictionary(t => t.Element("Name").Value,
                          t => new HashSet<string>(t.Element("Members").Elements().Select(m => m.Element("Name").Value), StringComparer.OrdinalIgnoreCase));

    private static bool HasProperty(Type t, string name)
        => t.GetProperty(name, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase) != null
           || (ExtendedMembers().TryGetValue(t.FullName, out var extra) && extra.Contains(name));

    [Fact]
    public void TypesFileNamesRealTypesAndRealTargetProperties()
    {
        var doc = LoadSafely(FilePath("ESXiImageTools.Types.ps1xml"));
        Assert.Equal("Types", doc.Root.Name.LocalName);
        var types = doc.Root.Elements("Type").ToList();
        Assert.NotEmpty(types);
        foreach (var type in types)
        {
            var t = Resolve(type.Element("Name").Value);
            foreach (var member in type.Element("Members").Elements())
            {
                var name = member.Element("Name").Value;
                Assert.True(member.Name.LocalName == "MemberSet" || t.GetProperty(name, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase) == null,
                    $"{t.Name}.{name} already exists; an alias would shadow it");
                if (member.Name.LocalName == "AliasProperty")
                {
                    var target = member.Element("ReferencedMemberName").Value;
                    Assert.True(t.GetProperty(target) != null, $"{t.Name}: alias {name} -> {target}, which does not exist");
                }
                else if (member.Name.LocalName == "MemberSet")
                {
                    // PSStandardMembers' DefaultDisplayPropertySet: every property it names exists.
                    Assert.Equal("PSStandardMembers", name);
                    foreach (var shown in member.Descendants("ReferencedProperties").Elements("Name").Select(e => e.Value))
                        Assert.True(HasProperty(t, shown), $"{t.Name}: DefaultDisplayPropertySet names {shown}, which does not exist");
                }
                else Assert.Equal("ScriptProperty", member.Name.LocalName);
            }
        }
    }

    [Fact]
    public void ImageBuilderPropertyNamesAreAvailable()
    {
        // What the cmdlets hand out (types and settability: tests/Pester/ObjectModel.Tests.ps1) ...
        var package = Resolve("ESXiImageTools.ObjectModel.SoftwarePackage");
        foreach (var p in new[] { "Name", "Version", "Vendor", "CreationDate", "ReleaseDate", "Guid", "AcceptanceLevel", "Depends", "Conflicts", "Replaces", "Provides", "Summary", "Description", "Tags", "StatelessReady", "MaintenanceMode", "LiveInstallOk", "LiveRemoveOk", "ReferenceURLs", "SourceUrls", "VersionObject" })
            Assert.True(HasProperty(package, p), $"SoftwarePackage lacks ImageBuilder's {p}");
        var live = Resolve("ESXiImageTools.Infrastructure.LiveImageProfile");
        foreach (var p in new[] { "Name", "Vendor", "Description", "AcceptanceLevel", "Author", "CreationTime", "ModifiedTime", "ReadOnly", "Rules", "VibList", "Guid" })
            Assert.True(HasProperty(live, p), $"LiveImageProfile lacks ImageBuilder's {p}");
        // ... and the engine objects that stay reachable.
        var vib = Resolve("ESXiImageTools.Core.Packages.Vib");
        foreach (var p in new[] { "Name", "Version", "Vendor", "CreationDate", "ReleaseDate", "Guid", "AcceptanceLevel", "VersionObject" })
            Assert.True(HasProperty(vib, p), $"Vib lacks ImageBuilder's {p}");
        var profile = Resolve("ESXiImageTools.Core.Profiles.ImageProfile");
        foreach (var p in new[] { "Name", "Vendor", "Description", "AcceptanceLevel", "Author", "CreationTime", "ModifiedTime", "ReadOnly", "VibList", "Guid" })
            Assert.True(HasProperty(profile, p), $"ImageProfile lacks ImageBuilder's {p}");
    }

    [Fact]
    public void FormatFileNamesRealTypesAndProperties()
    {
        var doc = LoadSafely(FilePath("ESXiImageTools.Format.ps1xml"));
        Assert.Equal("Configuration", doc.Root.Name.LocalName);
        var views = doc.Root.Element("ViewDefinitions").Elements("View").ToList();
        Assert.NotEmpty(views);
        Assert.Equal(views.Count, views.Select(v => v.Element("Name").Value).Distinct().Count());
        foreach (var view in views)
        {
            var types = view.Element("ViewSelectedBy").Elements("TypeName").Select(e => Resolve(e.Value)).ToList();
            Assert.NotEmpty(types);
            var table = view.Element("TableControl");
            var list = view.Element("ListControl");
            Assert.True(table != null || list != null, $"{view.Element("Name").Value}: no table or list control");
            if (table != null)
            {
                var headers = table.Element("TableHeaders").Elements("TableColumnHeader").Count();
                foreach (var row in table.Element("TableRowEntries").Elements("TableRowEntry"))
                    Assert.Equal(headers, row.Element("TableColumnItems").Elements("TableColumnItem").Count());
            }
            foreach (var t in types)
            {
                foreach (var p in view.Descendants("PropertyName").Select(e => e.Value))
                    Assert.True(HasProperty(t, p), $"{view.Element("Name").Value}: {t.Name} has no property {p}");
                foreach (var script in view.Descendants("ScriptBlock").Select(e => e.Value))
                    foreach (Match m in Regex.Matches(script, @"\$_\.(\w+)"))
                        Assert.True(HasProperty(t, m.Groups[1].Value), $"{view.Element("Name").Value}: script uses {t.Name}.{m.Groups[1].Value}, which does not exist");
            }
        }
    }

    [Theory]
    [InlineData("ESXiImageTools.ObjectModel.SoftwarePackage", new[] { "Name", "Version", "Vendor", "Creation Date" })]
    [InlineData("ESXiImageTools.Core.Profiles.ImageProfile", new[] { "Name", "Vendor", "Last Modified", "Acceptance Level" })]
    public void DefaultTablesHaveTheImageBuilderColumns(string type, string[] labels)
    {
        var doc = LoadSafely(FilePath("ESXiImageTools.Format.ps1xml"));
        var view = doc.Descendants("View").First(v => v.Element("ViewSelectedBy").Elements("TypeName").Any(e => e.Value == type) && v.Element("TableControl") != null);
        Assert.Equal(labels, view.Descendants("TableColumnHeader").Select(h => h.Element("Label").Value));
    }
}
