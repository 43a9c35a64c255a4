using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Samlet.Events;
using Samlet.Ingestion;

namespace Samlet.Core.Tests.Ingestion;

/// <summary>How the rows of a CSV file become Segment messages for the importer (which then validates them as JSONL).</summary>
public sealed class CsvMessagesTests
{
    private static async Task<List<(long Row, string Json, string? Problem)>> ReadAsync(string csv, EventType? type = null, Encoding? encoding = null)
    {
        using var stream = new MemoryStream((encoding ?? Encoding.UTF8).GetBytes(csv));
        var records = new List<(long, string, string?)>();
        await foreach (var record in CsvMessages.ReadAsync(stream, type, CancellationToken.None))
        {
            records.Add((record.Number, Encoding.UTF8.GetString(record.Json.Span), record.Problem));
        }

        return records;
    }

    private static async Task<string> OneAsync(string csv, EventType? type = null) => Assert.Single(await ReadAsync(csv, type)).Json;

    [Fact]
    public async Task Maps_spec_fields_in_any_spelling_and_other_columns_to_traits_of_an_identify()
    {
        var json = await OneAsync("User_ID,anonymousid,Message_Id,email,plan\nu1,a1,m1,anna@example.com,pro\n");

        Assert.Equal("""{"type":"identify","userId":"u1","anonymousId":"a1","messageId":"m1","traits":{"email":"anna@example.com","plan":"pro"}}""", json);
    }

    [Fact]
    public async Task A_file_with_an_event_column_is_track_calls_whose_other_columns_are_properties()
    {
        var json = await OneAsync("userId,event,timestamp,revenue,properties.currency,context.campaign.source\nu1,Order Completed,2026-11-02T10:00:00Z,99.5,DKK,newsletter\n");

        Assert.Equal("""{"type":"track","userId":"u1","event":"Order Completed","timestamp":"2026-11-02T10:00:00Z","context":{"campaign":{"source":"newsletter"}},"properties":{"currency":"DKK","revenue":99.5}}""", json);
    }

    [Fact]
    public async Task A_type_column_decides_per_row_and_name_is_a_field_of_pages_only()
    {
        var rows = await ReadAsync("type,userId,name,category\npage,u1,Home,Shop\nidentify,u1,Anna,\n,u2,Bo,\n", EventType.Identify);

        Assert.Equal(
            [
                """{"type":"page","userId":"u1","name":"Home","category":"Shop"}""",
                """{"type":"identify","userId":"u1","traits":{"name":"Anna"}}""",
                """{"type":"identify","userId":"u2","traits":{"name":"Bo"}}""",
            ],
            rows.Select(r => r.Json));
    }

    [Fact]
    public async Task Reads_a_capitalised_type_and_flags_a_time_that_is_not_one_keeping_the_message()
    {
        var rows = await ReadAsync("Type,userId,event,timestamp\nTrack,u1,Signed Up,2025-03-02 10:00:00\ntrack,u2,Signed Up,03/02/2025 kl. 10\nPurchase,u3,x,\n");

        Assert.Equal(
            [
                ("""{"type":"track","userId":"u1","event":"Signed Up","timestamp":"2025-03-02 10:00:00"}""", null),
                ("""{"type":"track","userId":"u2","event":"Signed Up","timestamp":"03/02/2025 kl. 10"}""", "\"timestamp\" is not a time: \"03/02/2025 kl. 10\" (ISO 8601 is, such as 2025-03-02T10:00:00Z)."),
                ("""{"type":"Purchase","userId":"u3","event":"x"}""", null), // for the normaliser to refuse, as in JSONL
            ],
            rows.Select(r => (r.Json, r.Problem)));
    }

    [Fact]
    public async Task Reads_semicolons_tabs_a_byte_order_mark_and_quoted_cells_with_delimiters_quotes_and_line_breaks()
    {
        var semicolons = await OneAsync("\uFEFFuserId;note\nu1;\"a; \"\"b\"\"\nc\"\n");
        var tabs = await OneAsync("userId\tcity\nu1\tKøbenhavn\n");

        Assert.Equal("""{"type":"identify","userId":"u1","traits":{"note":"a; \"b\"\nc"}}""", semicolons);
        Assert.Equal("""{"type":"identify","userId":"u1","traits":{"city":"København"}}""", tabs);
    }

    [Fact]
    public async Task Types_a_column_by_all_its_filled_cells_so_postcodes_with_a_leading_zero_keep_their_column_text()
    {
        var rows = await ReadAsync("userId,zip,spend,vip,phone,note\nu1,8000,1200.50,TRUE,4512345678,1\nu2,01234,0,false,,x\nu3,,-1e3,,4587654321,\n");

        Assert.Equal(
            [
                """{"type":"identify","userId":"u1","traits":{"note":"1","phone":4512345678,"spend":1200.50,"vip":true,"zip":"8000"}}""",
                """{"type":"identify","userId":"u2","traits":{"note":"x","spend":0,"vip":false,"zip":"01234"}}""",
                """{"type":"identify","userId":"u3","traits":{"phone":4587654321,"spend":-1e3}}""",
            ],
            rows.Select(r => r.Json));
    }

    [Fact]
    public async Task Takes_a_type_the_header_declares_over_the_sample_and_holds_cells_to_it()
    {
        var rows = await ReadAsync("userId,phone:text,spend : Number,vip:boolean,ratio:percent\nu1,4512345678,12,yes,3\nu2,4587654321,n/a,true,4\n");

        Assert.Equal(
            [
                ("""{"type":"identify","userId":"u1","traits":{"phone":"4512345678","ratio:percent":3,"spend":12,"vip":"yes"}}""", "\"vip\" is declared boolean, and \"yes\" is not."),
                ("""{"type":"identify","userId":"u2","traits":{"phone":"4587654321","ratio:percent":4,"spend":"n/a","vip":true}}""", "\"spend\" is declared number, and \"n/a\" is not."),
            ],
            rows.Select(r => (r.Json, r.Problem)));
    }

    [Fact]
    public async Task Skips_blank_rows_numbers_rows_as_a_spreadsheet_does_and_flags_ragged_ones()
    {
        var rows = await ReadAsync("userId,plan\n\nu1,pro\n,\nu2\nu3,\"multi\nline\"\nu4,free,extra\n");

        Assert.Equal([3L, 5, 6, 7], rows.Select(r => r.Row));
        Assert.Equal("1 cells where the header has 2.", rows[1].Problem);
        Assert.Equal("\"u2\"", rows[1].Json);
        Assert.Null(rows[2].Problem);
        Assert.Equal("3 cells where the header has 2.", rows[3].Problem);
    }

    [Theory]
    [InlineData("userId,email,traits.email\nu1,a@b.c,a@b.c\n", "Row 1: the columns \"email\" and \"traits.email\" are the same field (traits.email).")]
    [InlineData("user_id,email,UserId\nu1,a@b.c,u2\n", "Row 1: the columns \"user_id\" and \"UserId\" are the same field (userId).")]
    [InlineData("userId,traits.address,traits.address.city\nu1,x,y\n", "Row 1: \"traits.address\" is a value, and \"traits.address.city\" makes it an object.")]
    [InlineData("userId,,plan\nu1,x,y\n", "Row 1: column 2 has no name.")]
    [InlineData("", "Row 1: the file is empty; a header row naming the columns is expected.")]
    [InlineData("userId:number,plan\nu1,x\n", "Row 1: \"userId:number\" is the call's userId, whose type is fixed.")]
    [InlineData("userId,plan\nu1,pro\nu2,\"free\n", "Row 3: a quoted cell is not closed, or text follows its closing quote.")]
    public async Task Refuses_a_file_it_cannot_read_naming_the_row(string csv, string message)
    {
        var e = await Assert.ThrowsAsync<InvalidDataException>(() => ReadAsync(csv));

        Assert.Equal(message, e.Message);
    }

    [Fact]
    public async Task Refuses_text_that_is_not_utf8()
    {
        var e = await Assert.ThrowsAsync<InvalidDataException>(() => ReadAsync("userId,city\nu1,København\n", encoding: Encoding.Latin1));

        Assert.StartsWith("Row ", e.Message);
        Assert.Contains("the file is not UTF-8 text", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Random_files_give_messages_rows_with_problems_or_an_InvalidDataException_and_nothing_else()
    {
        // Delimiters, quotes, line breaks, a byte-order mark, spec fields, paths, declared types and bytes that are not UTF-8.
        var pieces = Gen.Elements("a", "1", "0", "-2.5", "true", ",", ";", "\t", "\"", "\"\"", "\n", "\r\n", " ", "é", "\uFEFF",
            "userId", "type", "track", "Identify", "event", "timestamp", "2025-03-02T10:00:00Z", "traits.a", "context.x.y",
            "traits.a.b", ":number", ":text", "#", "\u0000");
        var files = Gen.Choose(0, 60).SelectMany(n => Gen.ArrayOf(pieces, n)).Select(parts => string.Concat(parts));
        Prop.ForAll(Arb.From(files), Gen.Elements(true, false).ToArbitrary(), (text, latin1) =>
        {
            try
            {
                var records = ReadAsync(text, encoding: latin1 ? Encoding.Latin1 : Encoding.UTF8).GetAwaiter().GetResult();
                Assert.All(records, r => Assert.True(r.Problem is not null || r.Json.StartsWith('{'), r.Json));
            }
            catch (InvalidDataException e)
            {
                Assert.StartsWith("Row ", e.Message);
            }
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(2_000));
    }

    [Theory]
    [InlineData("0", true)]
    [InlineData("-12.5e+3", true)]
    [InlineData("1200.50", true)]
    [InlineData("01234", false)]
    [InlineData("+45", false)]
    [InlineData(".5", false)]
    [InlineData("1.", false)]
    [InlineData("1e", false)]
    [InlineData("12345678901234567890123456789012", false)]
    [InlineData("NaN", false)]
    public void Recognises_numbers_as_JSON_writes_them(string text, bool isNumber) => Assert.Equal(isNumber, CsvMessages.IsJsonNumber(text));
}
