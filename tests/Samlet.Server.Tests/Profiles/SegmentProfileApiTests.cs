using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Samlet.Server.Tests.Profiles;

/// <summary>
/// The Segment-compatible Profile API: the paths, parameters, response shapes and authentication of Segment's
/// documented Profile API, over the events of <see cref="ProfileScenario"/>.
/// </summary>
public sealed class SegmentProfileApiTests(ProfileScenario scenario) : IClassFixture<ProfileScenario>
{
    private string Users => $"/v1/spaces/{scenario.WorkspaceId}/collections/users/profiles";

    private string Accounts => $"/v1/spaces/{scenario.WorkspaceId}/collections/accounts/profiles";

    /// <summary>GETs as Segment's clients do (the API key as Basic user name, empty password); the status and body.</summary>
    private async Task<(HttpStatusCode Status, JsonElement Body)> SegmentGetAsync(string path, string key = SamletServer.AdminKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = SamletServer.Basic(key);
        using var response = await scenario.Server.Client.SendAsync(request);
        return (response.StatusCode, await ProfileScenario.JsonAsync(response));
    }

    private async Task<JsonElement> OkAsync(string path)
    {
        var (status, body) = await SegmentGetAsync(path);
        Assert.True(status == HttpStatusCode.OK, $"{path}: {status} {body}");
        return body;
    }

    private static List<string> Keys(JsonElement element) => [.. element.EnumerateObject().Select(p => p.Name)];

    [Fact]
    public async Task Returns_traits_as_Segment_does()
    {
        var body = await OkAsync($"{Users}/user_id:jane/traits");

        Assert.Equal(["traits", "cursor"], Keys(body));
        var traits = body.GetProperty("traits");
        Assert.Equal(["city", "email", "name", "plan"], Keys(traits));
        Assert.Equal("pro", traits.GetProperty("plan").GetString());
        Assert.Equal("Jane@Example.com", traits.GetProperty("email").GetString());
        var cursor = body.GetProperty("cursor");
        Assert.Equal($"{Users}/user_id:jane/traits", cursor.GetProperty("url").GetString());
        Assert.False(cursor.GetProperty("has_more").GetBoolean());
        Assert.Equal("", cursor.GetProperty("next").GetString());
        Assert.Equal(10, cursor.GetProperty("limit").GetInt32());
    }

    [Fact]
    public async Task Pages_traits_with_limit_and_next_and_selects_them_with_include_and_verbose()
    {
        var first = await OkAsync($"{Users}/user_id:jane/traits?limit=3");
        Assert.Equal(["city", "email", "name"], Keys(first.GetProperty("traits")));
        Assert.True(first.GetProperty("cursor").GetProperty("has_more").GetBoolean());
        Assert.Equal("plan", first.GetProperty("cursor").GetProperty("next").GetString());

        var second = await OkAsync(first.GetProperty("cursor").GetProperty("url").GetString()!);
        Assert.Equal(["plan"], Keys(second.GetProperty("traits")));
        Assert.False(second.GetProperty("cursor").GetProperty("has_more").GetBoolean());

        var included = await OkAsync($"{Users}/user_id:jane/traits?include=plan,name,unknown");
        Assert.Equal(["name", "plan"], Keys(included.GetProperty("traits")));

        var verbose = (await OkAsync($"{Users}/user_id:jane/traits?include=plan&verbose=true")).GetProperty("traits").GetProperty("plan");
        Assert.Equal("pro", verbose.GetProperty("value").GetString());
        Assert.Equal(scenario.SourceId, verbose.GetProperty("source_id").GetString());
        Assert.Equal("2026-03-01T09:20:00Z", verbose.GetProperty("updated_at").GetString());

        Assert.Empty(Keys((await OkAsync($"{Users}/user_id:jane/traits?class=audience")).GetProperty("traits")));
    }

    [Fact]
    public async Task Lists_external_ids_with_the_event_and_source_that_added_them()
    {
        var body = await OkAsync($"{Users}/email:jane@example.com/external_ids");

        var ids = body.GetProperty("data").EnumerateArray().ToDictionary(e => e.GetProperty("type").GetString()!);
        Assert.Equal(["anonymous_id", "email", "user_id"], ids.Keys.Order(StringComparer.Ordinal));
        var email = ids["email"];
        Assert.Equal(["id", "type", "source_id", "collection", "created_at", "encoding", "first_message_id"], Keys(email));
        Assert.Equal("jane@example.com", email.GetProperty("id").GetString());
        Assert.Equal(scenario.SourceId, email.GetProperty("source_id").GetString());
        Assert.Equal("users", email.GetProperty("collection").GetString());
        Assert.Equal("2026-03-01T09:10:00Z", email.GetProperty("created_at").GetString());
        Assert.Equal("none", email.GetProperty("encoding").GetString());
        Assert.Equal("j2", email.GetProperty("first_message_id").GetString());
        Assert.Equal("j1", ids["anonymous_id"].GetProperty("first_message_id").GetString());
        Assert.False(body.GetProperty("cursor").GetProperty("has_more").GetBoolean());

        var onlyEmail = await OkAsync($"{Users}/email:jane@example.com/external_ids?include=email");
        Assert.Equal(["email"], onlyEmail.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("type").GetString()));

        var types = new List<string?>();
        var path = $"{Users}/email:jane@example.com/external_ids?limit=2";
        while (true)
        {
            var page = await OkAsync(path);
            types.AddRange(page.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("type").GetString()));
            if (!page.GetProperty("cursor").GetProperty("has_more").GetBoolean())
            {
                break;
            }

            path = page.GetProperty("cursor").GetProperty("url").GetString()!;
        }

        Assert.Equal(ids.Keys.Order(StringComparer.Ordinal), types.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Lists_events_newest_first_filtered_and_paged()
    {
        var body = await OkAsync($"{Users}/user_id:jane/events");
        var events = body.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(ProfileScenario.JaneMessages.Reverse(), events.Select(e => e.GetProperty("message_id").GetString()));
        var order = events.Single(e => e.GetProperty("message_id").GetString() == "j4");
        Assert.Equal("track", order.GetProperty("type").GetString());
        Assert.Equal("Order Completed", order.GetProperty("event").GetString());
        Assert.Equal(42, order.GetProperty("properties").GetProperty("total").GetInt32());
        Assert.Equal(scenario.SourceId, order.GetProperty("source_id").GetString());
        Assert.Equal("2026-03-01T09:30:00Z", order.GetProperty("timestamp").GetString());
        Assert.Equal("user_id", Assert.Single(order.GetProperty("external_ids").EnumerateArray()).GetProperty("type").GetString());
        var profileId = (await scenario.GetAsync("/api/profiles/user_id:jane")).GetProperty("id").GetString();
        Assert.Equal(profileId, order.GetProperty("related").GetProperty("users").GetString());
        var page = events.Single(e => e.GetProperty("message_id").GetString() == "j1");
        Assert.Equal(("page", "Home"), (page.GetProperty("type").GetString(), page.GetProperty("name").GetString()));
        Assert.False(page.TryGetProperty("event", out _));
        Assert.Equal("anon-jane", Assert.Single(page.GetProperty("external_ids").EnumerateArray()).GetProperty("id").GetString());

        Assert.Equal(["j5", "j4"], await MessagesAsync($"{Users}/user_id:jane/events?include=Order%20Completed"));
        Assert.Equal(["j7", "j6", "j3", "j2", "j1"], await MessagesAsync($"{Users}/user_id:jane/events?exclude=Order%20Completed"));
        Assert.Equal(["j1", "j2", "j3", "j4", "j5", "j6", "j7"], await MessagesAsync($"{Users}/user_id:jane/events?sort=asc&limit=3"));
        Assert.Equal(["j7", "j6", "j5", "j4", "j3", "j2", "j1"], await MessagesAsync($"{Users}/user_id:jane/events?limit=2"));
        Assert.Equal(["j6", "j4"], await MessagesAsync($"{Users}/user_id:jane/events?start=2026-03-01T09:25:00Z&end=2026-03-01T09:40:00Z"));
        Assert.Equal(["page"], (await OkAsync($"{Users}/user_id:jane/events?include=page")).GetProperty("data").EnumerateArray().Select(e => e.GetProperty("type").GetString()));
    }

    /// <summary>Every page's message ids, following <c>cursor.url</c> while <c>has_more</c>.</summary>
    private async Task<List<string?>> MessagesAsync(string path)
    {
        var messages = new List<string?>();
        for (var pages = 0; pages < 20; pages++)
        {
            var page = await OkAsync(path);
            messages.AddRange(page.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("message_id").GetString()));
            if (!page.GetProperty("cursor").GetProperty("has_more").GetBoolean())
            {
                return messages;
            }

            path = page.GetProperty("cursor").GetProperty("url").GetString()!;
        }

        throw new InvalidOperationException("The cursor never ended.");
    }

    [Fact]
    public async Task Answers_metadata_with_the_first_and_last_events()
    {
        var metadata = (await OkAsync($"{Users}/anonymous_id:anon-jane/metadata")).GetProperty("metadata");

        Assert.Equal(["created_at", "updated_at", "expires_at", "first_message_id", "first_source_id", "last_message_id", "last_source_id"], Keys(metadata));
        Assert.Equal("2026-03-01T09:00:00Z", metadata.GetProperty("created_at").GetString());
        Assert.Equal(JsonValueKind.String, metadata.GetProperty("updated_at").ValueKind);
        Assert.Equal(JsonValueKind.Null, metadata.GetProperty("expires_at").ValueKind);
        Assert.Equal("j1", metadata.GetProperty("first_message_id").GetString());
        Assert.Equal("j7", metadata.GetProperty("last_message_id").GetString());
        Assert.Equal(scenario.SourceId, metadata.GetProperty("first_source_id").GetString());
        Assert.Equal(scenario.SourceId, metadata.GetProperty("last_source_id").GetString());
    }

    [Fact]
    public async Task Links_users_to_accounts_and_accounts_to_users()
    {
        var link = Assert.Single((await OkAsync($"{Users}/user_id:jane/links")).GetProperty("data").EnumerateArray());
        Assert.Equal("accounts", link.GetProperty("to_collection").GetString());
        var account = Assert.Single(link.GetProperty("external_ids").EnumerateArray());
        Assert.Equal(("acme", "group_id", "accounts"), (account.GetProperty("id").GetString(), account.GetProperty("type").GetString(), account.GetProperty("collection").GetString()));

        var users = (await OkAsync($"{Accounts}/group_id:acme/links")).GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(["users", "users"], users.Select(u => u.GetProperty("to_collection").GetString()));
        var userIds = users.Select(u => u.GetProperty("external_ids").EnumerateArray().Single(e => e.GetProperty("type").GetString() == "user_id").GetProperty("id").GetString());
        Assert.Equal(["jane", "bob"], userIds);

        var traits = (await OkAsync($"{Accounts}/group_id:acme/traits")).GetProperty("traits");
        Assert.Equal("Acme Inc", traits.GetProperty("name").GetString());
        Assert.Equal("enterprise", traits.GetProperty("plan").GetString());
        var externalId = Assert.Single((await OkAsync($"{Accounts}/group_id:acme/external_ids")).GetProperty("data").EnumerateArray());
        Assert.Equal("2026-03-01T09:50:00Z", externalId.GetProperty("created_at").GetString());
        var metadata = (await OkAsync($"{Accounts}/group_id:acme/metadata")).GetProperty("metadata");
        Assert.Equal(("2026-03-01T09:50:00Z", "2026-03-01T10:05:00Z"), (metadata.GetProperty("created_at").GetString(), metadata.GetProperty("updated_at").GetString()));
    }

    [Theory]
    [InlineData("email:bob%2Bnews@example.com")]
    [InlineData("email:bob+news@example.com")]
    [InlineData("email:Bob%2BNews%40Example.com")]
    [InlineData("user_id:bob")]
    public async Task Finds_people_by_url_encoded_identifiers(string id)
    {
        var traits = (await OkAsync($"{Users}/{id}/traits")).GetProperty("traits");

        Assert.Equal("Bob", traits.GetProperty("firstName").GetString());
    }

    [Fact]
    public async Task Finds_people_by_Samlet_profile_id_too()
    {
        var id = (await scenario.GetAsync("/api/profiles/user_id:jane")).GetProperty("id").GetString();

        Assert.Equal("pro", (await OkAsync($"{Users}/profile_id:{id}/traits")).GetProperty("traits").GetProperty("plan").GetString());
        Assert.Equal("pro", (await OkAsync($"{Users}/{id}/traits")).GetProperty("traits").GetProperty("plan").GetString());
    }

    [Theory]
    [InlineData("users/profiles/user_id:nobody/traits", 404, "not_found")]
    [InlineData("users/profiles/email:nobody@example.com/external_ids", 404, "not_found")]
    [InlineData("users/profiles/group_id:acme/traits", 404, "not_found")]
    [InlineData("users/profiles/prf_doesnotexist/metadata", 404, "not_found")]
    [InlineData("accounts/profiles/group_id:nobody/traits", 404, "not_found")]
    [InlineData("accounts/profiles/group_id:acme/events", 404, "not_found")]
    [InlineData("teams/profiles/user_id:jane/traits", 404, "not_found")]
    [InlineData("users/profiles/user_id:jane/friends", 404, "not_found")]
    [InlineData("users/profiles/nocolon/traits", 400, "validation_error")]
    [InlineData("users/profiles/User_Id:jane/traits", 400, "validation_error")]
    [InlineData("users/profiles/email:not-an-email/traits", 400, "validation_error")]
    [InlineData("users/profiles/user_id:jane/traits?limit=201", 400, "validation_error")]
    [InlineData("users/profiles/user_id:jane/traits?verbose=maybe", 400, "validation_error")]
    [InlineData("users/profiles/user_id:jane/events?next=abc", 400, "validation_error")]
    [InlineData("users/profiles/user_id:jane/events?sort=sideways", 400, "validation_error")]
    [InlineData("users/profiles/user_id:jane/events?start=soon", 400, "validation_error")]
    [InlineData("users/profiles/user_id:jane/external_ids?next=-1", 400, "validation_error")]
    [InlineData("accounts/profiles/user_id:jane/traits", 400, "validation_error")]
    public async Task Answers_ProblemDetails_with_Segments_error_body(string path, int status, string code)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/spaces/{scenario.WorkspaceId}/collections/{path}");
        request.Headers.Authorization = SamletServer.Basic(SamletServer.AdminKey);
        using var response = await scenario.Server.Client.SendAsync(request);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await ProfileScenario.JsonAsync(response);
        Assert.Equal(status, body.GetProperty("status").GetInt32());
        Assert.Equal(code, body.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(body.GetProperty("detail").GetString(), body.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task Accepts_the_API_key_as_Basic_user_name_Bearer_token_or_X_Api_Key_and_refuses_it_missing()
    {
        var path = $"{Users}/user_id:jane/traits";
        foreach (var authorize in new Action<HttpRequestHeaders>[]
        {
            h => h.Authorization = SamletServer.Basic(SamletServer.AdminKey),
            h => h.Authorization = new AuthenticationHeaderValue("Bearer", SamletServer.AdminKey),
            h => h.Add("X-Api-Key", SamletServer.AdminKey),
        })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            authorize(request.Headers);
            Assert.Equal(HttpStatusCode.OK, (await scenario.Server.Client.SendAsync(request)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await SegmentGetAsync(path, "sk_wrong")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SegmentGetAsync(path, SamletServer.WriteKey)).Status);
        using var anonymous = await scenario.Server.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("application/problem+json", anonymous.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Answers_404_for_another_workspaces_space()
    {
        var (ours, _) = await SegmentGetAsync($"/v1/spaces/{ProfileScenario.OtherWorkspaceId}/collections/users/profiles/user_id:jane/traits");
        var (theirs, _) = await SegmentGetAsync($"{Users}/user_id:jane/traits", ProfileScenario.OtherKey);
        var (own, body) = await SegmentGetAsync($"/v1/spaces/{ProfileScenario.OtherWorkspaceId}/collections/users/profiles/user_id:jane/traits", ProfileScenario.OtherKey);

        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.OK), (ours, theirs, own));
        Assert.Equal("other", body.GetProperty("traits").GetProperty("plan").GetString());
    }
}
