using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using ESXiImageTools.Core.IO;

namespace ESXiImageTools.TestSupport;

/// <summary>
/// Every .vib in the corpus (<see cref="Corpus"/>): loose files and entries of the zips, including zips inside zips
/// (usbnic-fling-650's download zip wraps the offline bundle). Each comes with a location string and
/// a function that opens a fresh stream over the whole .vib (forward-only for zip entries).
/// </summary>
public static class CorpusVibs
{
    public sealed class Item
    {
        public Item(string location, string relative, Func<Stream> open)
        {
            Location = location;
            Relative = relative;
            Open = open;
        }

        /// <summary>Display location, e.g. <c>net55-r8168/x.zip!/net55-r8168-8.045a-napi.x86_64.vib</c>.</summary>
        public string Location { get; }

        /// <summary>The corpus-relative location (same form, without the corpus root); stable across machines.</summary>
        public string Relative { get; }

        public Func<Stream> Open { get; }

        public override string ToString() => Relative;
    }

    /// <summary>All corpus VIBs, loose and zipped, in a stable order.</summary>
    public static IReadOnlyList<Item> All()
    {
        var items = new List<Item>();
        if (!Corpus.Available) return items;
        foreach (var file in Directory.EnumerateFiles(Corpus.Root, "*", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal))
        {
            var rel = System.IO.Path.GetRelativePath(Corpus.Root, file).Replace('\\', '/');
            if (file.EndsWith(".vib", StringComparison.OrdinalIgnoreCase))
                items.Add(new Item(file, rel, () => File.OpenRead(file)));
            else if (file.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
                AddZip(items, () => File.OpenRead(file), file, rel);
        }
        return items;
    }

    private static void AddZip(List<Item> items, Func<Stream> openZip, string location, string rel)
    {
        List<string> entries;
        using (var zs = openZip())
        using (var zip = new ZipArchive(zs, ZipArchiveMode.Read))
            entries = zip.Entries.Select(e => e.FullName).ToList();
        foreach (var name in entries.OrderBy(n => n, StringComparer.Ordinal))
        {
            var entryName = name;
            Func<Stream> openEntry = () => OpenEntry(openZip, entryName);
            if (name.EndsWith(".vib", StringComparison.OrdinalIgnoreCase))
                items.Add(new Item(location + "!/" + name, rel + "!/" + name, openEntry));
            else if (name.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
                AddZip(items, () => Buffer(openEntry), location + "!/" + name, rel + "!/" + name);
        }
    }

    /// <summary>Opens one entry; disposing the returned stream disposes the archive too.</summary>
    public static Stream OpenEntry(Func<Stream> openZip, string entryName)
    {
        var zs = openZip();
        var zip = new ZipArchive(zs, ZipArchiveMode.Read);
        var entry = zip.GetEntry(entryName) ?? throw new FileNotFoundException(entryName);
        return new OwningStream(entry.Open(), zip, zs);
    }

    // An inner zip needs a seekable stream; corpus inner zips are small (< 1 MB).
    private static Stream Buffer(Func<Stream> open)
    {
        using var s = open();
        var ms = new MemoryStream();
        s.CopyTo(ms);
        ms.Position = 0;
        return ms;
    }
}
