namespace ESXiImageTools.ObjectModel;

/// <summary>ImageBuilder's SupportReference, an entry of <see cref="SoftwarePackage.ReferenceURLs"/> (a descriptor's <c>&lt;url key=&gt;</c>).</summary>
public sealed class SupportReference
{
    public SupportReference(string title, string url)
    {
        Title = title ?? "";
        URL = url ?? "";
    }

    public string Title { get; }
    public string URL { get; }

    public override string ToString() => $"{Title}: {URL}";
}
