using System.Xml;

namespace ESXiImageTools.Core.IO;

/// <summary>Thrown by <see cref="BoundedXmlReader"/> when a document nests too deeply or has too many elements.</summary>
internal sealed class XmlShapeLimitException : XmlException
{
    public XmlShapeLimitException(string message) : base(message) { }
}

/// <summary>
/// A pass-through XmlReader that stops a document nesting deeper than <c>maxDepth</c> or holding more than
/// <c>maxElements</c> elements, so building a tree from untrusted XML stays linear in time and memory.
/// </summary>
internal sealed class BoundedXmlReader : XmlReader
{
    private readonly XmlReader _inner;
    private readonly int _maxDepth;
    private readonly int _maxElements;
    private int _elements;

    public BoundedXmlReader(XmlReader inner, int maxDepth, int maxElements)
    {
        _inner = inner;
        _maxDepth = maxDepth;
        _maxElements = maxElements;
    }

    public override bool Read()
    {
        if (!_inner.Read()) return false;
        if (_inner.NodeType == XmlNodeType.Element)
        {
            if (_inner.Depth >= _maxDepth)
                throw new XmlShapeLimitException($"elements nest deeper than the limit of {_maxDepth} levels");
            if (++_elements > _maxElements)
                throw new XmlShapeLimitException($"more than the limit of {_maxElements} elements");
        }
        return true;
    }

    public override int AttributeCount => _inner.AttributeCount;
    public override string BaseURI => _inner.BaseURI;
    public override int Depth => _inner.Depth;
    public override bool EOF => _inner.EOF;
    public override bool IsEmptyElement => _inner.IsEmptyElement;
    public override string LocalName => _inner.LocalName;
    public override string Name => _inner.Name;
    public override string NamespaceURI => _inner.NamespaceURI;
    public override XmlNameTable NameTable => _inner.NameTable;
    public override XmlNodeType NodeType => _inner.NodeType;
    public override string Prefix => _inner.Prefix;
    public override ReadState ReadState => _inner.ReadState;
    public override string Value => _inner.Value;
    public override bool HasValue => _inner.HasValue;
    public override XmlReaderSettings Settings => _inner.Settings;
    public override string GetAttribute(int i) => _inner.GetAttribute(i);
    public override string GetAttribute(string name) => _inner.GetAttribute(name);
    public override string GetAttribute(string name, string namespaceURI) => _inner.GetAttribute(name, namespaceURI);
    public override string LookupNamespace(string prefix) => _inner.LookupNamespace(prefix);
    public override void MoveToAttribute(int i) => _inner.MoveToAttribute(i);
    public override bool MoveToAttribute(string name) => _inner.MoveToAttribute(name);
    public override bool MoveToAttribute(string name, string ns) => _inner.MoveToAttribute(name, ns);
    public override bool MoveToElement() => _inner.MoveToElement();
    public override bool MoveToFirstAttribute() => _inner.MoveToFirstAttribute();
    public override bool MoveToNextAttribute() => _inner.MoveToNextAttribute();
    public override bool ReadAttributeValue() => _inner.ReadAttributeValue();
    public override void ResolveEntity() => _inner.ResolveEntity();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _inner.Dispose();
        base.Dispose(disposing);
    }
}
