namespace Samlet.Demo;

/// <summary>
/// xoshiro256** seeded through SplitMix64. Written out here (not System.Random) so that the
/// stream of numbers, and therefore the demo data, never changes with the runtime version.
/// </summary>
internal sealed class DemoRandom
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;
    private double _spareNormal;
    private bool _hasSpareNormal;

    public DemoRandom(ulong seed)
    {
        var x = seed;
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    /// <summary>An independent stream for entity <paramref name="index"/> of kind <paramref name="stream"/>.</summary>
    public static DemoRandom For(long seed, ulong stream, long index)
    {
        var x = unchecked((ulong)seed ^ (stream * 0x9E3779B97F4A7C15UL));
        var mixed = SplitMix(ref x) ^ unchecked((ulong)index * 0xD1B54A32D192ED03UL);
        return new DemoRandom(SplitMix(ref mixed));
    }

    private static ulong SplitMix(ref ulong x)
    {
        var z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public ulong NextULong()
    {
        var result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextULong() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [0, n).</summary>
    public int Next(int n) => (int)(((NextULong() >> 32) * (ulong)n) >> 32);

    /// <summary>Uniform in [min, max).</summary>
    public int Next(int min, int max) => min + Next(max - min);

    public double Uniform(double min, double max) => min + ((max - min) * NextDouble());

    public bool Chance(double p) => NextDouble() < p;

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    /// <summary>Index drawn with probability proportional to <paramref name="weights"/>.</summary>
    public int PickWeighted(ReadOnlySpan<double> weights)
    {
        var total = 0.0;
        foreach (var w in weights)
        {
            total += w;
        }

        var u = NextDouble() * total;
        for (var i = 0; i < weights.Length; i++)
        {
            u -= weights[i];
            if (u < 0)
            {
                return i;
            }
        }

        return weights.Length - 1;
    }

    public double Exponential(double mean) => -mean * Math.Log(1.0 - NextDouble());

    public double Normal()
    {
        if (_hasSpareNormal)
        {
            _hasSpareNormal = false;
            return _spareNormal;
        }

        // Marsaglia's polar method: no trigonometry, two normals per accepted pair.
        double u, v, s;
        do
        {
            u = (2.0 * NextDouble()) - 1.0;
            v = (2.0 * NextDouble()) - 1.0;
            s = (u * u) + (v * v);
        }
        while (s >= 1.0 || s == 0.0);

        var factor = Math.Sqrt(-2.0 * Math.Log(s) / s);
        _spareNormal = v * factor;
        _hasSpareNormal = true;
        return u * factor;
    }

    /// <summary>Gamma(shape, scale) by Marsaglia and Tsang, boosted for shape &lt; 1.</summary>
    public double Gamma(double shape, double scale)
    {
        if (shape < 1.0)
        {
            return Gamma(shape + 1.0, scale) * Math.Pow(NextDouble() + double.Epsilon, 1.0 / shape);
        }

        var d = shape - (1.0 / 3.0);
        var c = 1.0 / Math.Sqrt(9.0 * d);
        while (true)
        {
            double x, v;
            do
            {
                x = Normal();
                v = 1.0 + (c * x);
            }
            while (v <= 0);

            v = v * v * v;
            var u = NextDouble();
            if (u < 1.0 - (0.0331 * x * x * x * x) || Math.Log(u) < (0.5 * x * x) + (d * (1.0 - v + Math.Log(v))))
            {
                return d * v * scale;
            }
        }
    }

    public double Beta(double a, double b)
    {
        var x = Gamma(a, 1.0);
        var y = Gamma(b, 1.0);
        return x / (x + y);
    }

    /// <summary>1 + a geometric number of extra trials, each continuing with probability <paramref name="more"/>.</summary>
    public int OneOrMore(double more, int max)
    {
        var n = 1;
        while (n < max && Chance(more))
        {
            n++;
        }

        return n;
    }

    /// <summary>A random (version 4) UUID in lower-case hex with dashes.</summary>
    public string NextUuid() => string.Create(36, this, static (span, rng) => rng.WriteUuid(span));

    public void WriteUuid(Span<char> dest)
    {
        var hi = NextULong();
        var lo = NextULong();
        hi = (hi & 0xFFFFFFFFFFFF0FFFUL) | 0x0000000000004000UL;
        lo = (lo & 0x3FFFFFFFFFFFFFFFUL) | 0x8000000000000000UL;
        var p = 0;
        for (var i = 0; i < 32; i++)
        {
            if (i is 8 or 12 or 16 or 20)
            {
                dest[p++] = '-';
            }

            var nibble = i < 16 ? (int)(hi >> (60 - (4 * i))) & 0xF : (int)(lo >> (60 - (4 * (i - 16)))) & 0xF;
            dest[p++] = "0123456789abcdef"[nibble];
        }
    }

    /// <summary>A lower-case hex token of <paramref name="length"/> characters (at most 16).</summary>
    public string NextHex(int length) => string.Create(length, NextULong(), static (span, bits) =>
    {
        for (var i = 0; i < span.Length; i++)
        {
            span[i] = "0123456789abcdef"[(int)(bits >> (4 * i)) & 0xF];
        }
    });
}
