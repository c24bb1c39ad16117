using System;
using System.Collections.Generic;
using System.IO;

namespace ESXiImageTools.Core.Iso;

/// <summary>A node of the tree an <see cref="IsoBuilder"/> collects; LBAs are filled in by <see cref="IsoLayout"/>.</summary>
internal abstract class IsoNode
{
    protected IsoNode(string name, IsoDirectoryNode parent) { Name = name; Parent = parent; }

    /// <summary>Level 1 name without version, e.g. <c>BOOT.CFG</c>; empty for the root.</summary>
    public string Name { get; }
    public IsoDirectoryNode Parent { get; }

    public string Path => Parent == null ? "/" : Parent.Parent == null ? Name : Parent.Path + "/" + Name;

    /// <summary>Identifier bytes as recorded: <c>NAME.EXT;1</c> for files (<c>NAME.;1</c> without extension), <c>NAME</c> for directories.</summary>
    public abstract string Identifier { get; }
}

internal sealed class IsoDirectoryNode : IsoNode
{
    public IsoDirectoryNode(string name, IsoDirectoryNode parent) : base(name, parent) { }

    public SortedDictionary<string, IsoNode> Children { get; } = new SortedDictionary<string, IsoNode>(IdentifierComparer.Instance);

    public override string Identifier => Name;

    /// <summary>1-based number in the path table (also the order directories are laid out in).</summary>
    public int Number { get; set; }
    public int Level { get; set; }
    public uint Lba { get; set; }
    public uint SizeBytes { get; set; }

    private sealed class IdentifierComparer : IComparer<string>
    {
        public static readonly IdentifierComparer Instance = new IdentifierComparer();
        public int Compare(string x, string y) => IsoNames.CompareIdentifiers(x, y);
    }
}

internal enum IsoFileKind { Regular, BootCatalog }

internal sealed class IsoFileNode : IsoNode
{
    public IsoFileNode(string name, IsoDirectoryNode parent, long size, Func<Stream> open, IsoFileKind kind)
        : base(name, parent)
    {
        Size = size;
        Open = open;
        Kind = kind;
    }

    public long Size { get; }
    public Func<Stream> Open { get; }
    public IsoFileKind Kind { get; }
    public uint Lba { get; set; }

    public override string Identifier => (Name.IndexOf('.') < 0 ? Name + "." : Name) + ";1";
}
