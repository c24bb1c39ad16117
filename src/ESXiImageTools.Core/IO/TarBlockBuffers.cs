using System.Buffers;

namespace ESXiImageTools.Core.IO;

/// <summary>
/// SharpZipLib 1.4's tar streams rent their 512-byte blocks from <see cref="ArrayPool{T}.Shared"/> and need exactly
/// 512 bytes (else "BUG: buffer must have length BlockSize" when reading, a short entry when writing). The pool of
/// the .NET Framework (System.Buffers: Windows PowerShell 5.1, and Mono) hands out an array of the next larger size
/// when its 512-byte bucket is empty, so whether a tar reads depended on what the process had pooled before (seen in
/// the net48 test leg). Stocking that bucket before a tar stream starts keeps every rent at 512 bytes; on .NET the
/// pool never rounds up and the few arrays cost nothing.
/// </summary>
internal static class TarBlockBuffers
{
    private const int BlockSize = 512;
    private const int Count = 8;   // a reader holds 1-2 blocks at a time, a writer 2

    /// <summary>Returns a few fresh 512-byte arrays to the shared pool; call before creating a tar stream.</summary>
    public static void Stock()
    {
        for (int i = 0; i < Count; i++) ArrayPool<byte>.Shared.Return(new byte[BlockSize]);
    }
}
