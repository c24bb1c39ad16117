using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;
using ESXiImageTools.Core.Diagnostics;

namespace ESXiImageTools.Core.IO;

/// <summary>
/// Moves a finished temp file over its destination in one rename, replacing what is there. On Windows a file that
/// another process holds open (an ISO mounted or attached to a VM, an antivirus scan) cannot be replaced: the rename
/// is retried for a moment, then a typed <see cref="ErrorCodes.FileInUse"/> names the file. The temp file is left
/// for the caller to delete. Every writer of this engine replaces files through here.
/// </summary>
public static class FileReplacer
{
    /// <summary>Pauses between attempts while the destination is in use; about two seconds in all.</summary>
    public static readonly TimeSpan[] DefaultRetryDelays =
    {
        TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(250),
        TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(1000),
    };

    /// <summary>Renames <paramref name="temp"/> to <paramref name="destination"/>, replacing an existing file.</summary>
    public static void Replace(string temp, string destination, CancellationToken cancellationToken = default)
        => Replace(temp, destination, RenameOver, DefaultRetryDelays, cancellationToken);

    /// <summary>As <see cref="Replace(string, string, CancellationToken)"/> with the rename and the pauses given (tests simulate a held file).</summary>
    internal static void Replace(string temp, string destination, Action<string, string> rename, TimeSpan[] retryDelays, CancellationToken cancellationToken)
    {
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                rename(temp, destination);
                return;
            }
            catch (Exception e) when (IsInUse(e))
            {
                if (attempt >= retryDelays.Length)
                    throw new EsxException(ErrorCodes.FileInUse, EsxErrorCategory.WriteError,
                        $"'{destination}' is in use by another process (open, mounted or attached to a VM) and cannot be replaced; close it and try again", destination, e);
                if (cancellationToken.WaitHandle.WaitOne(retryDelays[attempt])) cancellationToken.ThrowIfCancellationRequested();
            }
        }
    }

    private static void RenameOver(string temp, string destination)
    {
        if (File.Exists(destination))
        {
            try
            {
                File.Replace(temp, destination, null);
                return;
            }
            catch (FileNotFoundException) when (!File.Exists(destination) && File.Exists(temp)) { } // removed meanwhile: a plain move below
        }
        try { File.Move(temp, destination); }
        catch (IOException) when (File.Exists(destination) && File.Exists(temp))
        {
            File.Replace(temp, destination, null); // appeared meanwhile
        }
    }

    // ERROR_ACCESS_DENIED (5), ERROR_SHARING_VIOLATION (32), ERROR_LOCK_VIOLATION (33), ERROR_UNABLE_TO_REMOVE_REPLACED (1175),
    // ERROR_UNABLE_TO_MOVE_REPLACEMENT (1176). Unix renames never fail this way.
    internal static bool IsInUse(Exception e)
    {
        if (e is IOException io)
        {
            int code = io.HResult & 0xFFFF;
            return (io.HResult & unchecked((int)0xFFFF0000)) == unchecked((int)0x80070000) && (code == 32 || code == 33 || code == 1175 || code == 1176);
        }
        return e is UnauthorizedAccessException && RuntimeInformation.IsOSPlatform(OSPlatform.Windows);
    }
}
