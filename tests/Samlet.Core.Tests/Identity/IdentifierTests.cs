using Samlet.Identity;

namespace Samlet.Core.Tests.Identity;

public sealed class IdentifierTests
{
    [Fact]
    public void Splits_type_and_value_on_the_first_colon_so_values_may_contain_colons()
    {
        var identifier = Identifier.Parse("user_id:auth0|google-oauth2:1234");
        Assert.Equal(IdentifierTypes.UserId, identifier.Type);
        Assert.Equal("auth0|google-oauth2:1234", identifier.Value);
        Assert.Equal("user_id:auth0|google-oauth2:1234", identifier.ToString());
    }

    [Fact]
    public void Parses_the_Profile_API_form_of_an_email_identifier()
    {
        Assert.True(Identifier.TryParse("email:jane@example.com", out var identifier));
        Assert.Equal(new Identifier("email", "jane@example.com"), identifier);
    }

    [Theory]
    [InlineData("")]
    [InlineData("email")]
    [InlineData(":jane@example.com")]
    [InlineData("email:")]
    [InlineData("Email:jane@example.com")]
    [InlineData("e mail:jane@example.com")]
    [InlineData("1email:jane@example.com")]
    public void Refuses_text_that_is_not_type_colon_value(string text)
    {
        Assert.False(Identifier.TryParse(text, out _));
        Assert.Throws<FormatException>(() => Identifier.Parse(text));
    }

    [Fact]
    public void Accepts_custom_type_names_up_to_64_characters()
    {
        Assert.True(Identifier.IsValidTypeName("crm_id"));
        Assert.True(Identifier.IsValidTypeName(new string('a', 64)));
        Assert.False(Identifier.IsValidTypeName(new string('a', 65)));
    }
}
