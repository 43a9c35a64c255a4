using Samlet.Analytics.Transactions;

namespace Samlet.Core.Tests.Analytics.Transactions;

public sealed class TransactionCsvReaderTests
{
    private static readonly TransactionColumns _columns = new();

    [Fact]
    public void Reads_both_date_formats_quoted_fields_and_amounts()
    {
        const string csv = "customer_id,date,amount\n\"Smith, J\",2024-03-01,12.50\nb,20240302,3\n\n\"say \"\"hi\"\"\",2024-03-03,0\n";

        var table = TransactionCsvReader.Read(new StringReader(csv), _columns);

        Assert.True(table.HasAmounts);
        Assert.Equal(
            [
                new Transaction("Smith, J", new DateOnly(2024, 3, 1), 12.5),
                new Transaction("b", new DateOnly(2024, 3, 2), 3),
                new Transaction("say \"hi\"", new DateOnly(2024, 3, 3), 0),
            ],
            table.Transactions);
    }

    [Fact]
    public void Finds_columns_by_name_in_any_order_and_case()
    {
        const string csv = "Revenue,Order_Date,extra,Customer_ID\n5,2024-01-02,x,c1\n";

        var table = TransactionCsvReader.Read(new StringReader(csv), new TransactionColumns("customer_id", "order_date", "revenue"));

        Assert.Equal([new Transaction("c1", new DateOnly(2024, 1, 2), 5)], table.Transactions);
    }

    [Fact]
    public void Reads_files_without_amounts_unless_they_are_required()
    {
        const string csv = "customer_id,date\na,2024-01-02\n";

        Assert.False(TransactionCsvReader.Read(new StringReader(csv), _columns).HasAmounts);
        var error = Assert.Throws<TransactionFormatException>(() =>
            TransactionCsvReader.Read(new StringReader(csv), _columns with { AmountRequired = true }));
        Assert.Contains("no amount column 'amount'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a,2024-02-30,1", "line 3: column 'date': cannot read '2024-02-30' as a date")]
    [InlineData("a,03/01/2024,1", "line 3: column 'date': cannot read '03/01/2024' as a date")]
    [InlineData("a,2024-03-01,-4", "line 3: column 'amount': negative amount -4")]
    [InlineData("a,2024-03-01,", "line 3: column 'amount' is missing an amount")]
    [InlineData("a,2024-03-01,NaN", "line 3: column 'amount': cannot read 'NaN' as a number")]
    [InlineData("a,2024-03-01,abc", "line 3: column 'amount': cannot read 'abc' as a number")]
    [InlineData(",2024-03-01,1", "line 3: column 'customer_id' is empty")]
    [InlineData("a,2024-03-01", "line 3: 2 fields")]
    [InlineData("\"a,2024-03-01,1", "line 3: a quoted field is not closed")]
    [InlineData("\"a\"b,2024-03-01,1", "line 3: unexpected text after a quoted field")]
    public void Names_the_line_and_column_of_bad_input(string badLine, string message)
    {
        var csv = $"customer_id,date,amount\nz,2024-03-01,1\n{badLine}\n";

        var error = Assert.Throws<TransactionFormatException>(() => TransactionCsvReader.Read(new StringReader(csv), _columns));

        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_an_empty_file_and_a_missing_file()
    {
        Assert.Throws<TransactionFormatException>(() => TransactionCsvReader.Read(new StringReader(""), _columns));
        Assert.Throws<TransactionFormatException>(() => TransactionCsvReader.ReadFile("/nonexistent/file.csv", _columns));
    }
}
