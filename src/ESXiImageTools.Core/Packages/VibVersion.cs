using System;
using ESXiImageTools.Core.Diagnostics;

namespace ESXiImageTools.Core.Packages;

/// <summary>
/// A dotted version such as <c>6.7.0</c> or <c>1vmw.700.1.0.15843807</c>. Fields are compared one by
/// one: numerically when both are all digits (leading zeros do not matter), otherwise ordinally as
/// strings; when all shared fields are equal the longer version is the greater ([K]:
/// this is esximage's documented behaviour, confirmed here only against the vectors in the tests).
/// </summary>
public sealed class DottedVersion : IComparable<DottedVersion>, IEquatable<DottedVersion>
{
    private readonly string[] _fields;

    public DottedVersion(string text)
    {
        Text = text ?? "";
        _fields = Text.Length == 0 ? Array.Empty<string>() : Text.Split('.');
    }

    public string Text { get; }

    public int CompareTo(DottedVersion other)
    {
        if (other is null) return 1;
        int n = Math.Min(_fields.Length, other._fields.Length);
        for (int i = 0; i < n; i++)
        {
            int c = CompareField(_fields[i], other._fields[i]);
            if (c != 0) return c;
        }
        return _fields.Length.CompareTo(other._fields.Length);
    }

    internal static int CompareField(string a, string b)
    {
        if (IsDigits(a) && IsDigits(b))
        {
            string ta = a.TrimStart('0'), tb = b.TrimStart('0');
            if (ta.Length != tb.Length) return ta.Length.CompareTo(tb.Length);
            return Math.Sign(string.CompareOrdinal(ta, tb));
        }
        return Math.Sign(string.CompareOrdinal(a, b));
    }

    private static bool IsDigits(string s)
    {
        if (s.Length == 0) return false;
        foreach (var ch in s) if (ch < '0' || ch > '9') return false;
        return true;
    }

    public bool Equals(DottedVersion other) => CompareTo(other) == 0;
    public override bool Equals(object obj) => obj is DottedVersion d && Equals(d);

    public override int GetHashCode()
    {
        // Consistent with CompareTo: numeric fields hash without leading zeros.
        unchecked
        {
            int h = 17;
            foreach (var f in _fields) h = h * 31 + (IsDigits(f) ? f.TrimStart('0') : f).GetHashCode();
            return h;
        }
    }

    public override string ToString() => Text;
}

/// <summary>
/// A VIB version <c>&lt;version&gt;-&lt;release&gt;</c>, e.g. <c>1.0.0-1OEM.700.1.0.15843807</c>. The text is split at
/// the first '-'; the release may be empty. Ordering compares the version part, then the release part.
/// ImageBuilder calls this SoftwareVersion (Version and Release properties, static Compare).
/// </summary>
public sealed class VibVersion : IComparable<VibVersion>, IComparable, IEquatable<VibVersion>
{
    private VibVersion(string text, string version, string release)
    {
        Text = text;
        Version = version;
        Release = release;
        _version = new DottedVersion(version);
        _release = new DottedVersion(release);
    }

    private readonly DottedVersion _version;
    private readonly DottedVersion _release;

    /// <summary>The whole text as given.</summary>
    public string Text { get; }

    /// <summary>The part before the first '-'.</summary>
    public string Version { get; }

    /// <summary>The part after the first '-' (empty when there is none).</summary>
    public string Release { get; }

    public static VibVersion Parse(string text, string source = null)
    {
        if (TryParse(text, out var v)) return v;
        throw new EsxException(ErrorCodes.InvalidVersion, EsxErrorCategory.InvalidData,
            $"{source ?? "input"}: '{text}' is not a VIB version (expected <version>-<release>, e.g. 1.0.0-1)", source);
    }

    public static bool TryParse(string text, out VibVersion version)
    {
        version = null;
        if (text == null) return false;
        text = text.Trim();
        if (text.Length == 0 || text.Length > 256) return false;
        foreach (var ch in text)
            if (char.IsWhiteSpace(ch) || char.IsControl(ch)) return false;
        int dash = text.IndexOf('-');
        string v = dash < 0 ? text : text.Substring(0, dash);
        string r = dash < 0 ? "" : text.Substring(dash + 1);
        if (v.Length == 0) return false;
        version = new VibVersion(text, v, r);
        return true;
    }

    /// <summary>ImageBuilder-style comparison: 1, 0 or -1.</summary>
    public static int Compare(VibVersion a, VibVersion b)
    {
        if (a is null) return b is null ? 0 : -1;
        return a.CompareTo(b);
    }

    /// <summary>The non-generic comparison sorters use (PowerShell's Sort-Object, ArrayList.Sort).</summary>
    int IComparable.CompareTo(object obj)
        => obj is null || obj is VibVersion ? CompareTo((VibVersion)obj) : throw new ArgumentException($"cannot compare a VIB version with {obj.GetType().Name}", nameof(obj));

    public int CompareTo(VibVersion other)
    {
        if (other is null) return 1;
        int c = _version.CompareTo(other._version);
        return c != 0 ? c : _release.CompareTo(other._release);
    }

    /// <summary>Compares the version parts only (the releases are ignored): 1, 0 or -1.</summary>
    public int CompareVersionPart(VibVersion other) => other is null ? 1 : Math.Sign(_version.CompareTo(other._version));

    public bool Equals(VibVersion other) => other is not null && CompareTo(other) == 0;
    public override bool Equals(object obj) => obj is VibVersion v && Equals(v);
    public override int GetHashCode() => unchecked(_version.GetHashCode() * 397 ^ _release.GetHashCode());
    public override string ToString() => Text;

    public static bool operator <(VibVersion a, VibVersion b) => Compare(a, b) < 0;
    public static bool operator >(VibVersion a, VibVersion b) => Compare(a, b) > 0;
    public static bool operator <=(VibVersion a, VibVersion b) => Compare(a, b) <= 0;
    public static bool operator >=(VibVersion a, VibVersion b) => Compare(a, b) >= 0;
    public static bool operator ==(VibVersion a, VibVersion b) => a is null ? b is null : a.Equals(b);
    public static bool operator !=(VibVersion a, VibVersion b) => !(a == b);
}
