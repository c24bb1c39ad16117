using System.Collections.Generic;
using System.Linq;
using ESXiImageTools.Core.Components;
using ESXiImageTools.Core.Depots;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.IO;

namespace ESXiImageTools.Infrastructure;

/// <summary>
/// The add-ons of depots for Get-EsxAddon and Get-DepotAddons: each add-on document read into an <see cref="Addon"/>,
/// or, when it is not a readable add-on, its error beside the raw document, so that one bad document neither hides
/// the others nor disappears.
/// </summary>
internal static class AddonListing
{
    /// <summary>One document: the add-on, or the raw document and why it could not be read.</summary>
    internal sealed class Entry
    {
        public Entry(Addon addon, ReleaseUnit document, EsxException error)
        {
            Addon = addon;
            Document = document;
            Error = error;
        }

        public Addon Addon { get; }
        public ReleaseUnit Document { get; }
        public EsxException Error { get; }

        /// <summary>Whether any pattern (wildcards; none matches all) matches the add-on's id or name, or the document's file name.</summary>
        public bool Matches(string[] patterns)
            => patterns == null || patterns.Length == 0
               || patterns.Any(p => new[] { Addon?.Id, Addon?.Name, Document.Id }.Any(v => v != null && Wildcard.IsMatch(p, v)));

        /// <summary>What the cmdlets write: the add-on, or the raw document when it has none.</summary>
        public object Output => (object)Addon ?? Document;
    }

    public static IEnumerable<Entry> Read(IEnumerable<Depot> depots)
    {
        foreach (var depot in depots)
            foreach (var document in depot.Addons)
            {
                Addon addon = null;
                EsxException error = null;
                try { addon = AddonDocuments.Read(document, depot.Source); }
                catch (EsxException e) { error = e; }
                yield return new Entry(addon, document, error);
            }
    }
}
