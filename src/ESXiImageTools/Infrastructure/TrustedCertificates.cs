using System.Collections.Generic;
using System.Linq;
using ESXiImageTools.Core.Packages;

namespace ESXiImageTools.Infrastructure;

/// <summary>The -TrustedCertificate parameter of the cmdlets that check VIB signatures, and the switch past a failed check.</summary>
internal static class TrustedCertificates
{
    /// <summary>VMware's certificates, those ESXIIMAGETOOLS_TRUSTED_CERTS names, and <paramref name="resolvedFiles"/>.</summary>
    public static VibTrustStore Store(IEnumerable<string> resolvedFiles) => VibTrustStore.Create(resolvedFiles ?? Enumerable.Empty<string>());
}
