using System.Collections.Generic;
using ESXiImageTools.Core.Depots;
using ESXiImageTools.Core.Packages;

namespace ESXiImageTools.Infrastructure;

/// <summary>Opens package files named in specs: the engine's depot reader, nothing more.</summary>
internal static class PackageFiles
{
    /// <summary>The packages a file holds: a .vib is one package, a bundle all of its packages.</summary>
    public static IEnumerable<Vib> Open(string path) => DepotReader.Open(path).Packages;
}
