using ESXiImageTools.Core.Packages;

namespace ESXiImageTools.Core.Export;

/// <summary>One payload placed as a root file of an ESXi image: which package and payload, under which name.</summary>
public sealed class IsoPayloadFile
{
    public IsoPayloadFile(Vib package, Payload payload, string fileName, bool isBootModule)
    {
        Package = package;
        Payload = payload;
        FileName = fileName;
        IsBootModule = isBootModule;
    }

    public Vib Package { get; }
    public Payload Payload { get; }

    /// <summary>The 8.3 name in lower case, as BOOT.CFG and the profile's payload map write it (e.g. <c>s.v00</c>).</summary>
    public string FileName { get; }

    /// <summary>The ISO 9660 name (upper case), e.g. <c>S.V00</c>.</summary>
    public string IsoName => FileName.ToUpperInvariant();

    /// <summary>True when mboot loads it (listed in BOOT.CFG <c>kernel=</c> or <c>modules=</c>).</summary>
    public bool IsBootModule { get; }

    public override string ToString() => $"{FileName} <- {Package.Id}:{Payload.Name}";
}
