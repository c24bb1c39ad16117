using System;
using System.Collections.Generic;

namespace ESXiImageTools.Core.Tests.Fuzzing;

/// <summary>
/// A small deterministic PRNG (xorshift64*): the same seed gives the same sequence on every runtime, so a
/// fuzz finding is reproduced from (seed, target, iteration) alone.
/// </summary>
public sealed class FuzzRandom
{
    private ulong _state;

    public FuzzRandom(ulong seed) => _state = seed == 0 ? 0x9E3779B97F4A7C15UL : seed;

    public ulong Next()
    {
        _state ^= _state >> 12;
        _state ^= _state << 25;
        _state ^= _state >> 27;
        return _state * 0x2545F4914F6CDD1DUL;
    }

    /// <summary>A value in [0, max).</summary>
    public int Below(int max) => max <= 0 ? 0 : (int)(Next() % (ulong)max);

    /// <summary>Mixes values into one seed (splitmix64 finaliser).</summary>
    public static ulong Mix(params ulong[] parts)
    {
        ulong h = 0x9E3779B97F4A7C15UL;
        foreach (var p in parts)
        {
            h ^= p + 0x9E3779B97F4A7C15UL + (h << 6) + (h >> 2);
            h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9UL;
            h = (h ^ (h >> 27)) * 0x94D049BB133111EBUL;
            h ^= h >> 31;
        }
        return h;
    }

    public static ulong Hash(string s)
    {
        ulong h = 1469598103934665603UL;
        foreach (var c in s) { h ^= c; h *= 1099511628211UL; }
        return h;
    }
}

/// <summary>
/// Byte-level mutations in the style of AFL's havoc stage: bit flips, interesting values, inserted, deleted and
/// duplicated ranges, truncation and splicing with another seed. Offsets lean towards the start of large inputs,
/// where headers, directories and descriptors live.
/// </summary>
public static class Mutator
{
    private static readonly byte[] InterestingBytes = { 0, 1, 0x7f, 0x80, 0xff, (byte)'<', (byte)'>', (byte)'/', (byte)'0', (byte)'9', (byte)' ' };
    private static readonly uint[] InterestingInts = { 0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 0xffff, 0x10000, 4096, 2048, 512 };

    /// <summary>Returns a mutated copy of <paramref name="seed"/> (1 to 8 stacked mutations).</summary>
    public static byte[] Mutate(byte[] seed, IReadOnlyList<byte[]> others, FuzzRandom rng)
    {
        var data = new List<byte>(seed);
        int rounds = 1 + rng.Below(8);
        for (int r = 0; r < rounds; r++)
        {
            if (data.Count == 0) { data.Add((byte)rng.Below(256)); continue; }
            int at = Offset(data.Count, rng);
            switch (rng.Below(10))
            {
                case 0: data[at] ^= (byte)(1 << rng.Below(8)); break;
                case 1: data[at] = (byte)rng.Below(256); break;
                case 2: data[at] = InterestingBytes[rng.Below(InterestingBytes.Length)]; break;
                case 3:
                {
                    uint v = InterestingInts[rng.Below(InterestingInts.Length)];
                    bool bigEndian = rng.Below(2) == 0;
                    for (int k = 0; k < 4 && at + k < data.Count; k++)
                        data[at + k] = (byte)(bigEndian ? v >> (24 - 8 * k) : v >> (8 * k));
                    break;
                }
                case 4: data.RemoveRange(at, Math.Min(data.Count - at, 1 + rng.Below(64))); break;
                case 5:
                {
                    int len = Math.Min(data.Count - at, 1 + rng.Below(256));
                    var chunk = data.GetRange(at, len);
                    data.InsertRange(Offset(data.Count, rng), chunk);
                    break;
                }
                case 6:
                {
                    var fill = new byte[1 + rng.Below(32)];
                    for (int k = 0; k < fill.Length; k++) fill[k] = (byte)rng.Below(256);
                    data.InsertRange(at, fill);
                    break;
                }
                case 7: if (rng.Below(4) == 0) data.RemoveRange(at, data.Count - at); else data[at] = (byte)(data[at] + 1 - 2 * rng.Below(2)); break;
                case 8:
                {
                    // Decimal digits matter in text formats (sizes, offsets, checksums).
                    data[at] = (byte)('0' + rng.Below(10));
                    break;
                }
                default:
                    if (others.Count > 0)
                    {
                        var other = others[rng.Below(others.Count)];
                        if (other.Length > 0)
                        {
                            int from = rng.Below(other.Length);
                            int len = Math.Min(other.Length - from, 1 + rng.Below(512));
                            int to = Offset(data.Count, rng);
                            for (int k = 0; k < len; k++)
                                if (to + k < data.Count) data[to + k] = other[from + k]; else data.Add(other[from + k]);
                        }
                    }
                    break;
            }
        }
        return data.ToArray();
    }

    // Half of the offsets fall in the first 64 KiB of a large input (structures), half anywhere.
    private static int Offset(int length, FuzzRandom rng)
        => length > 65536 && rng.Below(2) == 0 ? rng.Below(65536) : rng.Below(length);
}
