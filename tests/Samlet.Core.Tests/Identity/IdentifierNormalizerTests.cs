using Samlet.Identity;

namespace Samlet.Core.Tests.Identity;

public sealed class IdentifierNormalizerTests
{
    private readonly IdentifierNormalizer _normalizer = new("US");

    [Theory]
    [InlineData(" Jane.Doe@Example.COM ", "jane.doe@example.com")]
    [InlineData("jane+shop@mail.example.co.uk", "jane+shop@mail.example.co.uk")]
    [InlineData("O'Brien@Example.ie", "o'brien@example.ie")]
    [InlineData("Søren@Æblegården.dk", "søren@æblegården.dk")]
    [InlineData("a@b.io", "a@b.io")]
    public void Trims_and_lower_cases_email_addresses(string raw, string expected)
    {
        Assert.True(_normalizer.TryNormalize(IdentifierTypes.Email, raw, out var email));
        Assert.Equal(expected, email);
    }

    [Theory]
    [InlineData("name@example")]
    [InlineData("name.example.com")]
    [InlineData("First Last@example.com")]
    [InlineData("name@@example.com")]
    [InlineData(".name@example.com")]
    [InlineData("name.@example.com")]
    [InlineData("na..me@example.com")]
    [InlineData("name@-example.com")]
    [InlineData("name@example..com")]
    [InlineData("name@example.123")]
    [InlineData("name@example.c")]
    [InlineData("\"name\"@example.com")]
    [InlineData("name@[192.0.2.1]")]
    [InlineData("@example.com")]
    [InlineData("name@")]
    public void Refuses_strings_that_are_not_email_addresses(string raw) =>
        Assert.False(_normalizer.TryNormalize(IdentifierTypes.Email, raw, out _));

    [Fact]
    public void Refuses_an_email_whose_local_part_is_longer_than_64_characters()
    {
        Assert.True(IdentifierNormalizer.TryNormalizeEmail(new string('a', 64) + "@example.com", out _));
        Assert.False(IdentifierNormalizer.TryNormalizeEmail(new string('a', 65) + "@example.com", out _));
    }

    [Fact]
    public void Returns_an_already_normal_email_without_copying_it()
    {
        const string email = "jane@example.com";
        Assert.True(IdentifierNormalizer.TryNormalizeEmail(email, out var normal));
        Assert.Same(email, normal);
    }

    [Theory]
    [InlineData("(212) 555-0147", "US", "+12125550147")]
    [InlineData("+1 (212) 555-0100", "DE", "+12125550100")]
    [InlineData("020 7946 0958", "GB", "+442079460958")]
    [InlineData("0151/23456789", "DE", "+4915123456789")]
    [InlineData("030 901820", "DE", "+4930901820")]
    [InlineData("0044 20 7946 0958", "DE", "+442079460958")]
    [InlineData("20 12 34 56", "DK", "+4520123456")]
    [InlineData("06 12 34 56 78", "FR", "+33612345678")]
    [InlineData("090-1234-5678", "JP", "+819012345678")]
    [InlineData("0412 345 678", "AU", "+61412345678")]
    [InlineData("98765 43210", "IN", "+919876543210")]
    public void Normalises_phone_numbers_of_several_regions_to_E164(string raw, string region, string expected)
    {
        Assert.True(_normalizer.TryNormalizePhone(raw, region, out var e164));
        Assert.Equal(expected, e164);
    }

    [Fact]
    public void Reads_local_numbers_in_the_configured_default_region()
    {
        Assert.True(new IdentifierNormalizer("GB").TryNormalize(IdentifierTypes.Phone, "020 7946 0958", out var london));
        Assert.Equal("+442079460958", london);
        Assert.False(new IdentifierNormalizer("US").TryNormalize(IdentifierTypes.Phone, "020 7946 0958", out _));
    }

    [Theory]
    [InlineData("12")]
    [InlineData("abc")]
    [InlineData("n/a")]
    [InlineData("0000000000")]
    [InlineData("+10000000000")]
    [InlineData("(555) 555-5555")]
    [InlineData("555-1234")]
    [InlineData("+44 7700 900123")] // Ofcom's range for drama: not a number anyone holds
    [InlineData("call me maybe 12345")]
    public void Refuses_phone_numbers_that_are_not_valid_for_their_region(string raw)
    {
        Assert.False(_normalizer.TryNormalizePhone(raw, null, out _));
        Assert.False(_normalizer.TryNormalizePhone(raw, null, out _)); // and again, from the cache
    }

    [Fact]
    public void Trims_other_ids_keeps_their_case_and_refuses_empty_overlong_or_control_characters()
    {
        Assert.True(_normalizer.TryNormalize(IdentifierTypes.UserId, "  User-ABC  ", out var id));
        Assert.Equal("User-ABC", id);
        Assert.True(_normalizer.TryNormalize(IdentifierTypes.DeviceId, new string('d', 256), out _));
        Assert.False(_normalizer.TryNormalize(IdentifierTypes.DeviceId, new string('d', 257), out _));
        Assert.False(_normalizer.TryNormalize(IdentifierTypes.AnonymousId, "   ", out _));
        Assert.False(_normalizer.TryNormalize(IdentifierTypes.AnonymousId, "a\u0000b", out _));
    }

    [Fact]
    public void Normalises_a_parsed_Profile_API_identifier()
    {
        Assert.True(_normalizer.TryNormalize(Identifier.Parse("email: Jane@Example.com"), out var identifier));
        Assert.Equal("email:jane@example.com", identifier.ToString());
        Assert.False(_normalizer.TryNormalize(Identifier.Parse("phone:not a phone"), out _));
    }

    [Fact]
    public void Refuses_a_default_region_libphonenumber_does_not_know() =>
        Assert.Throws<ArgumentException>(() => new IdentifierNormalizer("XX"));
}
