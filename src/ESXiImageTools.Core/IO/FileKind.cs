using System;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using ESXiImageTools.Core.Diagnostics;

namespace ESXiImageTools.Core.IO;

/// <summary>What a path names, without following a final symbolic link.</summary>
public enum FileKindType
{
    Missing,
    Regular,
    Directory,
    SymbolicLink,
    Fifo,
    CharacterDevice,
    BlockDevice,
    Socket,
    /// <summary>Present, but its kind could not be read (a name that is not valid UTF-8, a permission problem).</summary>
    Unknown,
}

/// <summary>
/// Tells regular files from links, FIFOs, devices and sockets. Opening a FIFO blocks until a writer comes, and a
/// device reads or writes endlessly: they must be recognised before anything opens them. .NET's FileSystemInfo does
/// not say (its attributes know only links and folders), so on Unix this asks the runtime's own native shim for the
/// lstat mode; on Windows the attributes suffice (no FIFOs or device nodes live in its folders).
/// </summary>
public static class FileKind
{
    /// <summary>The kind of <paramref name="path"/>; a final link is reported as a link, not followed.</summary>
    public static FileKindType Of(string path)
    {
        if (string.IsNullOrEmpty(path)) return FileKindType.Missing;
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            var mode = UnixMode(path);
            if (mode.HasValue) return mode.Value < 0 ? FileKindType.Missing : FromMode(mode.Value);
        }
        else if (IsWindowsDevice(path)) return FileKindType.CharacterDevice;
        return FromAttributes(path);
    }

    /// <summary>The kind of what <paramref name="path"/> leads to, following links (a link to nothing is Missing).</summary>
    public static FileKindType OfTarget(string path)
    {
        if (string.IsNullOrEmpty(path)) return FileKindType.Missing;
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            var mode = UnixMode(path, follow: true);
            if (mode.HasValue) return mode.Value < 0 ? FileKindType.Missing : FromMode(mode.Value);
        }
        else if (IsWindowsDevice(path)) return FileKindType.CharacterDevice;
        var kind = FromAttributes(path);
        return kind == FileKindType.SymbolicLink ? (Directory.Exists(path) ? FileKindType.Directory : File.Exists(path) ? FileKindType.Regular : FileKindType.Missing) : kind;
    }

    /// <summary>
    /// Throws <see cref="EsxFormatException"/> <paramref name="errorCode"/> naming <paramref name="path"/> when it leads to
    /// a FIFO, device or socket: opening one would block or read forever. Regular files, folders and missing paths pass.
    /// </summary>
    public static void RequireFileOrFolder(string path, string errorCode)
    {
        var kind = OfTarget(path);
        if (kind == FileKindType.Regular || kind == FileKindType.Directory || kind == FileKindType.Missing) return;
        throw new EsxFormatException(errorCode, path, null, $"is {Describe(kind)}, not a file or folder this tool reads");
    }

    /// <summary>
    /// True when <paramref name="fullPath"/>, a path as Windows resolved it (<see cref="Path.GetFullPath(string)"/>), names a
    /// device: <c>\\.\NAME</c> with nothing after the name (<c>\\.\NUL</c>, <c>\\.\CON</c>, <c>\\.\COM1</c>,
    /// <c>\\.\PhysicalDrive0</c>). Windows itself decides which names are devices when it resolves a path: "NUL" in any
    /// folder everywhere, "con.iso" on Windows 10 but not on 11, so this asks it instead of keeping a list.
    /// <c>\\.\C:\x.zip</c> names a file through the device namespace and is not a device.
    /// </summary>
    public static bool IsWindowsDevicePath(string fullPath)
    {
        if (fullPath == null || fullPath.Length <= 4) return false;
        if (!fullPath.StartsWith(@"\\.\", StringComparison.Ordinal) && !fullPath.StartsWith("//./", StringComparison.Ordinal)) return false;
        return fullPath.IndexOfAny(new[] { '\\', '/' }, 4) < 0;
    }

    private static bool IsWindowsDevice(string path)
    {
        try { return IsWindowsDevicePath(Path.GetFullPath(path)); }
        catch (Exception e) when (e is ArgumentException || e is NotSupportedException || e is PathTooLongException) { return false; }
    }

    /// <summary>A short phrase for the kind ("a FIFO (named pipe)", "a character device"), for messages.</summary>
    public static string Describe(FileKindType kind) => kind switch
    {
        FileKindType.Regular => "a regular file",
        FileKindType.Directory => "a folder",
        FileKindType.SymbolicLink => "a symbolic link",
        FileKindType.Fifo => "a FIFO (named pipe)",
        FileKindType.CharacterDevice => "a character device",
        FileKindType.BlockDevice => "a block device",
        FileKindType.Socket => "a socket",
        FileKindType.Missing => "missing",
        _ => "of an unknown kind",
    };

    private static FileKindType FromMode(int mode) => (mode & 0xF000) switch
    {
        0x8000 => FileKindType.Regular,
        0x4000 => FileKindType.Directory,
        0xA000 => FileKindType.SymbolicLink,
        0x1000 => FileKindType.Fifo,
        0x2000 => FileKindType.CharacterDevice,
        0x6000 => FileKindType.BlockDevice,
        0xC000 => FileKindType.Socket,
        _ => FileKindType.Unknown,
    };

    private static FileKindType FromAttributes(string path)
    {
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists && !Directory.Exists(path)) return FileKindType.Missing;
            var a = info.Attributes;
            if ((int)a == -1) return FileKindType.Unknown;
            if ((a & FileAttributes.ReparsePoint) != 0) return FileKindType.SymbolicLink;
            if ((a & FileAttributes.Directory) != 0) return FileKindType.Directory;
            if ((a & FileAttributes.Device) != 0) return FileKindType.CharacterDevice;
            return FileKindType.Regular;
        }
        catch (IOException) { return FileKindType.Unknown; }
        catch (UnauthorizedAccessException) { return FileKindType.Unknown; }
        catch (ArgumentException) { return FileKindType.Unknown; }
    }

    private static bool _nativeMissing;

    // The st_mode of lstat, -1 when the path does not exist, null when the shim is unavailable (Mono without it).
    private static int? UnixMode(string path, bool follow = false)
    {
        if (_nativeMissing) return MonoPosixMode(path, follow);
        var bytes = Encoding.UTF8.GetBytes(path + "\0");
        // FileStatus of System.Native: int Flags, int Mode, then more fields; a generous buffer holds any version.
        var status = new byte[512];
        try
        {
            if ((follow ? SystemNativeStat(bytes, status) : SystemNativeLStat(bytes, status)) != 0)
            {
                int errno = Marshal.GetLastWin32Error();
                return errno == 2 /* ENOENT */ || errno == 20 /* ENOTDIR */ ? -1 : 0; // 0: no file type bits, Unknown
            }
            return BitConverter.ToInt32(status, 4);
        }
        catch (DllNotFoundException) { _nativeMissing = true; return MonoPosixMode(path, follow); }
        catch (EntryPointNotFoundException) { _nativeMissing = true; return MonoPosixMode(path, follow); }
    }

    private const string MonoPosix = ", Mono.Posix, Version=4.0.0.0, Culture=neutral, PublicKeyToken=0738eb9f132ed756";

    // Mono (the .NET Framework stand-in on Linux) has no System.Native shim but its own Mono.Posix; found by reflection,
    // as the engine references no Mono assembly.
    private static readonly Lazy<(MethodInfo Stat, MethodInfo LStat, FieldInfo Mode)?> MonoStat = new Lazy<(MethodInfo, MethodInfo, FieldInfo)?>(() =>
    {
        var syscall = Type.GetType("Mono.Unix.Native.Syscall" + MonoPosix, throwOnError: false);
        var stat = Type.GetType("Mono.Unix.Native.Stat" + MonoPosix, throwOnError: false);
        if (syscall == null || stat == null) return null;
        var signature = new[] { typeof(string), stat.MakeByRefType() };
        var s = syscall.GetMethod("stat", signature);
        var l = syscall.GetMethod("lstat", signature);
        var mode = stat.GetField("st_mode");
        return s == null || l == null || mode == null ? null : (s, l, mode);
    });

    private static int? MonoPosixMode(string path, bool follow)
    {
        var api = MonoStat.Value;
        if (api == null) return null;
        var args = new object[] { path, null };
        var result = (int)(follow ? api.Value.Stat : api.Value.LStat).Invoke(null, args);
        if (result != 0) return File.Exists(path) || Directory.Exists(path) ? 0 : -1;
        return (int)Convert.ToInt64(api.Value.Mode.GetValue(args[1]), System.Globalization.CultureInfo.InvariantCulture);
    }

    [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat", SetLastError = true)]
    private static extern int SystemNativeStat(byte[] path, byte[] status);

    [DllImport("libSystem.Native", EntryPoint = "SystemNative_LStat", SetLastError = true)]
    private static extern int SystemNativeLStat(byte[] path, byte[] status);
}
