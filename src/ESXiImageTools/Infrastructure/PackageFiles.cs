using System;
using System.Collections.Generic;
using System.IO;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.Packages;

namespace ESXiImageTools.Infrastructure;

/// <summary>Opens package files named in specs and -Package arguments: the engine's readers, nothing more.</summary>
internal static class PackageFiles
{
    /// <summary>The packages a file holds: a .vib is one package.</summary>
    public static IEnumerable<Vib> Open(string path)
    {
        if (path.EndsWith(".vib", StringComparison.OrdinalIgnoreCase)) return new[] { VibFile.Open(path) };
        throw new EsxException(ErrorCodes.DepotInvalid, EsxErrorCategory.InvalidArgument,
            $"{path}: only .vib files can be added here; add a bundle with Add-EsxDepot and then its packages", path);
    }
}
