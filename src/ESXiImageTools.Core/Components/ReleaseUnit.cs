namespace ESXiImageTools.Core.Components;

/// <summary>
/// A 7.0+ release unit document from metadata (<c>baseimages/</c>, <c>addons/</c>, <c>manifests/</c>, <c>solutions/</c>).
/// These are JSON objects (VMware's release-unit schemas, docs/formats-notes.md "Release units"); they are listed and
/// kept as text here, and add-ons are read from them by <see cref="AddonDocuments"/>.
/// </summary>
public sealed record ReleaseUnit
{
    /// <summary><c>baseimage</c>, <c>addon</c>, <c>manifest</c> or <c>solution</c>.</summary>
    public string Kind { get; init; }
    /// <summary>The document's file name without extension (release-unit ids are used as names).</summary>
    public string Id { get; init; }
    /// <summary>The zip entry it came from.</summary>
    public string EntryName { get; init; }
    /// <summary>The document text (bounded in size).</summary>
    public string Text { get; init; }

    public override string ToString() => $"{Kind} {Id}";
}
