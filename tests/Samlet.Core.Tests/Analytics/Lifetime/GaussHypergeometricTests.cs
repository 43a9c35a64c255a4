using FsCheck;
using FsCheck.Fluent;
using MathNet.Numerics;
using Samlet.Analytics.Lifetime;

namespace Samlet.Core.Tests.Analytics.Lifetime;

public sealed class GaussHypergeometricTests
{
    [Theory]
    [InlineData(0.1)]
    [InlineData(0.5)]
    [InlineData(0.9)]
    [InlineData(0.95)]
    [InlineData(0.99)]
    [InlineData(0.999999)]
    public void Matches_the_logarithm_where_c_minus_a_minus_b_is_an_integer(double z)
    {
        // 2F1(1, 1; 2; z) = −ln(1−z)/z; here c − a − b = 0, the case whose transformation terms have cancelling poles.
        var expected = -Math.Log(1 - z) / z;

        Assert.Equal(expected, GaussHypergeometric.Value(1, 1, 2, z), expected * 1e-7);
    }

    [Theory]
    [InlineData(0.3, 2.5, 0.5)]
    [InlineData(0.3, 2.5, 0.95)]
    [InlineData(1.7, 0.4, 0.999)]
    [InlineData(-0.6, 3.0, 0.97)]
    public void Matches_the_binomial_series_when_b_equals_c(double a, double b, double z)
    {
        var expected = Math.Pow(1 - z, -a);

        Assert.Equal(expected, GaussHypergeometric.Value(a, b, b, z), expected * 1e-10);
    }

    [Theory]
    [InlineData(0.3)]
    [InlineData(0.97)]
    [InlineData(0.9999)]
    public void Matches_the_arcsine_at_half_integer_parameters(double sine)
    {
        var expected = Math.Asin(sine) / sine;

        Assert.Equal(expected, GaussHypergeometric.Value(0.5, 0.5, 1.5, sine * sine), expected * 1e-10);
    }

    [Theory]
    [InlineData(2.3, 0.7, 0.5)]
    [InlineData(2.3, 0.7, 0.95)]
    [InlineData(0.4, 3.5, 0.99)]
    [InlineData(12.5, 1.6, 0.93)]
    public void Matches_the_incomplete_beta_function(double a, double b, double z)
    {
        // B_z(a, b) = z^a / a · 2F1(a, 1−b; a+1; z); MathNet's regularised incomplete beta is an independent evaluation.
        var expected = a * Math.Pow(z, -a) * SpecialFunctions.BetaRegularized(a, b, z) * Math.Exp(SpecialFunctions.BetaLn(a, b));

        Assert.Equal(expected, GaussHypergeometric.Value(a, 1 - b, a + 1, z), expected * 1e-9);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(3.0)]
    [InlineData(40.0)]
    public void Maps_negative_arguments_with_Pfaffs_transformation(double y)
    {
        var expected = Math.Log(1 + y) / y;

        Assert.Equal(expected, GaussHypergeometric.Value(1, 1, 2, -y), expected * 1e-7);
    }

    [Fact]
    public void Transformation_near_one_agrees_with_the_plain_series()
    {
        var parameters = Gen.Choose(1, 500).Select(i => i / 100.0);
        var arguments = Gen.Choose(9_050, 9_700).Select(i => i / 10_000.0);
        var cases = Gen.Zip(Gen.Zip(parameters, parameters), Gen.Zip(parameters, arguments));

        Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var ((a, b), (cc, z)) = c;
            var direct = GaussHypergeometric.Series(a, b, cc + 0.2, z, 5_000_000);
            var value = GaussHypergeometric.Value(a, b, cc + 0.2, z);
            return Math.Abs(value - direct) <= 2e-7 * Math.Abs(direct);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(400));
    }

    [Fact]
    public void Refuses_arguments_outside_its_domain()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => GaussHypergeometric.Value(1, 1, 2, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => GaussHypergeometric.Value(1, 1, -2, 0.5));
    }
}
