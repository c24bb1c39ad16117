using System;
using ESXiImageTools.Core.Diagnostics;

namespace ESXiImageTools.Core.Packages;

/// <summary>Version relation of a constraint: <c>&lt;&lt; &lt;= = &gt;= &gt;&gt;</c>, or none (any version).</summary>
public enum VersionRelation
{
    Any,
    LessThan,
    LessOrEqual,
    Equal,
    GreaterOrEqual,
    GreaterThan,
}

/// <summary>
/// A relationship constraint from a descriptor (<c>depends</c>, <c>conflicts</c>, <c>replaces</c>,
/// <c>compatibleWith</c>): a name, optionally with a relation and version. ImageBuilder: SoftwareConstraint.
/// </summary>
public sealed class Constraint : IEquatable<Constraint>
{
    public Constraint(string name, VersionRelation relation = VersionRelation.Any, VibVersion version = null)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("constraint name is empty", nameof(name));
        if ((relation == VersionRelation.Any) != (version is null))
            throw new ArgumentException("a relation needs a version and a version needs a relation");
        Name = name;
        Relation = relation;
        Version = version;
    }

    public string Name { get; }
    public VersionRelation Relation { get; }
    public VibVersion Version { get; }

    /// <summary>The relation as written in descriptors (<c>&gt;=</c> ...), or null for any version.</summary>
    public string RelationText => RelationToText(Relation);

    /// <summary>Parses a relation operator; null or empty means <see cref="VersionRelation.Any"/>.</summary>
    public static VersionRelation ParseRelation(string text, string source = null)
    {
        switch ((text ?? "").Trim())
        {
            case "": return VersionRelation.Any;
            case "<<": return VersionRelation.LessThan;
            case "<=": return VersionRelation.LessOrEqual;
            case "=": return VersionRelation.Equal;
            case ">=": return VersionRelation.GreaterOrEqual;
            case ">>": return VersionRelation.GreaterThan;
            default:
                throw new EsxException(ErrorCodes.InvalidConstraint, EsxErrorCategory.InvalidData,
                    $"{source ?? "input"}: unknown version relation '{text}' (expected <<, <=, =, >= or >>)", source);
        }
    }

    public static string RelationToText(VersionRelation r) => r switch
    {
        VersionRelation.LessThan => "<<",
        VersionRelation.LessOrEqual => "<=",
        VersionRelation.Equal => "=",
        VersionRelation.GreaterOrEqual => ">=",
        VersionRelation.GreaterThan => ">>",
        _ => null,
    };

    /// <summary>
    /// Parses ImageBuilder's text form <c>name[ relation version]</c>, e.g. <c>esx-version &gt;= 6.0.0</c>.
    /// </summary>
    public static Constraint Parse(string text, string source = null)
    {
        var t = (text ?? "").Trim();
        int i = t.IndexOfAny(new[] { '<', '=', '>' });
        if (i < 0) return new Constraint(t);
        var name = t.Substring(0, i).Trim();
        int j = i;
        while (j < t.Length && (t[j] == '<' || t[j] == '=' || t[j] == '>')) j++;
        var rel = ParseRelation(t.Substring(i, j - i), source);
        var ver = VibVersion.Parse(t.Substring(j).Trim(), source);
        if (name.Length == 0)
            throw new EsxException(ErrorCodes.InvalidConstraint, EsxErrorCategory.InvalidData, $"{source ?? "input"}: constraint '{text}' has no name", source);
        return new Constraint(name, rel, ver);
    }

    /// <summary>Whether a version satisfies this constraint's relation (the name is not checked).</summary>
    public bool MatchesVersion(VibVersion candidate)
    {
        if (Relation == VersionRelation.Any) return true;
        if (candidate is null) return false; // a versionless provide only satisfies a versionless constraint [K]
        // esximage's rule: a constraint version without a release part compares the version part only, so
        // esx-version = 7.0.0 and <= 7.0.0 are met by 7.0.0-1.0.15843807 (real cpu-microcode / esx-xserver / esx-base).
        int c = Version.Release.Length == 0 ? candidate.CompareVersionPart(Version) : candidate.CompareTo(Version);
        return Relation switch
        {
            VersionRelation.LessThan => c < 0,
            VersionRelation.LessOrEqual => c <= 0,
            VersionRelation.Equal => c == 0,
            VersionRelation.GreaterOrEqual => c >= 0,
            VersionRelation.GreaterThan => c > 0,
            _ => true,
        };
    }

    /// <summary>Whether a provided capability (name and optional version) satisfies this constraint.</summary>
    public bool Matches(string name, VibVersion version)
        => string.Equals(name, Name, StringComparison.Ordinal) && MatchesVersion(version);

    public bool Equals(Constraint other) => other is not null && Name == other.Name && Relation == other.Relation && Version == other.Version;
    public override bool Equals(object obj) => obj is Constraint c && Equals(c);
    public override int GetHashCode() => (Name, Relation, Version?.GetHashCode() ?? 0).GetHashCode();
    public override string ToString() => Relation == VersionRelation.Any ? Name : $"{Name} {RelationText} {Version}";
}

/// <summary>A capability a VIB provides (<c>&lt;provide name= version=/&gt;</c>). ImageBuilder: SoftwareProvide.</summary>
public sealed class Provide : IEquatable<Provide>
{
    public Provide(string name, VibVersion version = null)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("provide name is empty", nameof(name));
        Name = name;
        Version = version;
    }

    public string Name { get; }
    public VibVersion Version { get; }

    public bool Equals(Provide other) => other is not null && Name == other.Name && Version == other.Version;
    public override bool Equals(object obj) => obj is Provide p && Equals(p);
    public override int GetHashCode() => (Name, Version?.GetHashCode() ?? 0).GetHashCode();
    public override string ToString() => Version is null ? Name : $"{Name} = {Version}";
}
