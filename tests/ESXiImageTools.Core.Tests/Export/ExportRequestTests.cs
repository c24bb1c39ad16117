using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using ESXiImageTools.Core.Authoring;
using ESXiImageTools.Core.Customization;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.Export;
using ESXiImageTools.Core.IO;
using ESXiImageTools.Core.Iso;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.Core.Profiles;
using ESXiImageTools.TestSupport;
using Xunit;

namespace ESXiImageTools.Core.Tests.Export;

/// <summary>
/// One mapping from what a user asked to a format's export options (<see cref="ExportRequest.Fill{T}"/>), and one
/// destination check with one wording for every writer (<see cref="AtomicFileWriter.CheckDestination"/>).
/// </summary>
public class ExportRequestTests
{
    private static readonly DateTimeOffset Stamp = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);

    /// <summary>A value of <paramref name="type"/> unlike its default, so a setting Fill forgot shows.</summary>
    private static object NonDefault(Type type, VibTrustStore trust, IEnumerable<Vib> catalog)
        => type == typeof(string) ? "/tmp/some-output"
         : type == typeof(bool) ? (object)true
         : type == typeof(DateTimeOffset?) ? Stamp
         : type == typeof(VibTrustStore) ? trust
         : type == typeof(IEnumerable<Vib>) ? catalog
         : throw new InvalidOperationException($"no test value for {type}: add one, and map the new setting in Fill");

    [Fact]
    public void Fill_sets_every_setting_of_the_request_on_each_format_and_keeps_the_formats_own()
    {
        var trust = VibTrustStore.Create(null);
        var catalog = new List<Vib>();
        var settings = typeof(ExportRequest).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite && p.Name != "EqualityContract").ToList();
        // Every common option of an export is something a user asks for: none is left for a shell to set by hand.
        var common = typeof(ExportOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).Select(p => p.Name);
        Assert.Equal(common.OrderBy(n => n, StringComparer.Ordinal), settings.Select(p => p.Name).OrderBy(n => n, StringComparer.Ordinal));

        foreach (var setting in settings)
        {
            // Each setting alone, from the default request: the one that was set must arrive, the others stay default.
            var request = new ExportRequest();
            var value = setting.PropertyType == typeof(bool) ? !(bool)setting.GetValue(request) : NonDefault(setting.PropertyType, trust, catalog);
            setting.SetValue(request, value);
            var formats = new ExportOptions[]
            {
                request.Fill(new IsoExportOptions { VolumeId = "MY_ISO", KernelOptions = "runweasel" }),
                request.Fill(new BundleExportOptions { VendorName = "Contoso", VendorCode = "CTS" }),
                request.Fill(new PxeExportOptions { Prefix = "esxi", KernelOptions = "runweasel" }),
            };
            foreach (var options in formats)
            {
                foreach (var other in settings)
                    Assert.Equal(other.GetValue(request), typeof(ExportOptions).GetProperty(other.Name).GetValue(options));
            }
            Assert.Equal("MY_ISO", ((IsoExportOptions)formats[0]).VolumeId);
            Assert.Equal("CTS", ((BundleExportOptions)formats[1]).VendorCode);
            Assert.Equal("esxi", ((PxeExportOptions)formats[2]).Prefix);
        }
        // The defaults are the options' defaults: a request asking nothing exports as plain options do.
        var plain = new IsoExportOptions();
        var filled = new ExportRequest().Fill(new IsoExportOptions());
        foreach (var p in typeof(ExportOptions).GetProperties().Where(p => p.CanWrite))
            Assert.Equal(p.GetValue(plain), p.GetValue(filled));
    }

    [Fact]
    public void Every_writer_refuses_an_existing_output_with_one_code_one_wording_and_the_overwrite_hint()
    {
        using var tmp = new TempDir();
        var fx = EsxImageFixture.Create(tmp.File("depot"));
        var source = tmp.File("source.zip");
        BundleExporter.Export(fx.Profile, new BundleExportOptions { Destination = source, Timestamp = Stamp });
        var tree = Directory.CreateDirectory(tmp.File("tree/opt/foo")).FullName;
        File.WriteAllText(Path.Combine(tree, "foo.conf"), "x");
        var taken = tmp.File("taken.iso");
        File.WriteAllText(taken, "keep");
        var takenFolder = Directory.CreateDirectory(tmp.File("taken-pxe")).FullName;
        File.WriteAllText(Path.Combine(takenFolder, "keep.txt"), "keep");

        var writers = new (string Name, string Path, Action Write)[]
        {
            ("ISO export", taken, () => IsoExporter.Export(fx.Profile, new ExportRequest { Destination = taken, Timestamp = Stamp }.Fill(new IsoExportOptions()))),
            ("bundle export", taken, () => BundleExporter.Export(fx.Profile, new ExportRequest { Destination = taken, Timestamp = Stamp }.Fill(new BundleExportOptions()))),
            ("PXE export", takenFolder, () => PxeExporter.Export(fx.Profile, new ExportRequest { Destination = takenFolder, Timestamp = Stamp }.Fill(new PxeExportOptions()))),
            ("customize", taken, () => CustomImageBuilder.Build(new CustomImageRequest { Sources = new[] { source }, Export = new ExportRequest { Destination = taken } })),
            ("VIB authoring", taken, () => VibAuthor.Create(tmp.File("tree"), new VibAuthoringRequest { Name = "foo", Version = "1.0-1", Vendor = "Community" }, taken)),
            ("bundle authoring", taken, () => BundleAuthor.Create(fx.All, taken)),
            ("profile spec", taken, () => ProfileSpec.FromProfiles(fx.Profile, fx.Profile).Save(taken, overwrite: false)),
            ("ISO builder", taken, () => new IsoBuilder(Stamp).AddFile("A.TXT", tmp.File("tree/opt/foo/foo.conf")).WriteToFile(taken, overwrite: false)),
        };
        foreach (var (name, path, write) in writers)
        {
            var e = Assert.Throws<EsxException>(write);
            Assert.True(e.Code == ErrorCodes.ExportDestinationExists, $"{name}: {e.Code}: {e.Message}");
            Assert.Equal(EsxErrorCategory.ResourceExists, e.Category);
            Assert.Equal($"'{Path.GetFullPath(path)}' already exists", e.Message);
            Assert.Equal(EsxHints.OverwriteNeeded, e.Hint);
        }
        Assert.Equal("keep", File.ReadAllText(taken));
        Assert.Equal(new[] { "keep.txt" }, Directory.GetFileSystemEntries(takenFolder).Select(Path.GetFileName));
    }

    [Fact]
    public void An_existing_output_is_refused_before_validation_and_a_wrong_kind_is_never_replaced()
    {
        using var tmp = new TempDir();
        var fx = EsxImageFixture.Create(tmp.File("depot"));
        var taken = tmp.File("taken.iso");
        File.WriteAllText(taken, "keep");
        // A profile that fails validation: the destination check comes first, so no validation or signature work is done.
        var (_, needy) = VibFixtures.Build(tmp.File("depot"), "needy", "1.0-1", depends: new[] { new Constraint("not-there") });
        var invalid = fx.Profile with { Packages = fx.Profile.Packages.Append(needy).ToList() };
        Assert.Equal(ErrorCodes.ProfileInvalid, Assert.ThrowsAny<EsxException>(() => IsoExporter.Export(invalid, new IsoExportOptions { Destination = tmp.File("new.iso"), Timestamp = Stamp })).Code);
        Assert.Equal(ErrorCodes.ExportDestinationExists, Assert.Throws<EsxException>(() => IsoExporter.Export(invalid, new IsoExportOptions { Destination = taken, Timestamp = Stamp })).Code);

        // A folder where a file goes, and a file where a folder goes: the same code in one wording, and no overwrite hint,
        // since overwriting does not replace them.
        var folder = Directory.CreateDirectory(tmp.File("folder.iso")).FullName;
        foreach (var (path, write, what) in new (string, Action, string)[]
                 {
                     (folder, () => IsoExporter.Export(fx.Profile, new IsoExportOptions { Destination = folder, Overwrite = true, Timestamp = Stamp }), "a folder, not a file"),
                     (folder, () => AtomicFileWriter.CheckDestination(folder, overwrite: true), "a folder, not a file"),
                     (taken, () => PxeExporter.Export(fx.Profile, new PxeExportOptions { Destination = taken, Overwrite = true, Timestamp = Stamp }), "a file, not a folder"),
                 })
        {
            var e = Assert.Throws<EsxException>(write);
            Assert.Equal(ErrorCodes.ExportDestinationExists, e.Code);
            Assert.Equal($"'{Path.GetFullPath(path)}' is {what}; name another", e.Message);
            Assert.Null(e.Hint);
        }
        Assert.Equal("keep", File.ReadAllText(taken));
        Assert.Equal(ErrorCodes.FileNotFound, Assert.Throws<EsxException>(() => AtomicFolderWriter.CheckDestination(tmp.File("no/such/pxe"), false)).Code);
    }
}
