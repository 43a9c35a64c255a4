namespace Samlet.Analytics.Transactions;

/// <summary>A transaction file that cannot be read; the message names the line and the column.</summary>
public sealed class TransactionFormatException : Exception
{
    public TransactionFormatException()
    {
    }

    public TransactionFormatException(string message)
        : base(message)
    {
    }

    public TransactionFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
