namespace Samlet.Analytics.Lifetime;

/// <summary>The data cannot identify the model; the message says why, in terms of the data.</summary>
public sealed class ModelFitException : Exception
{
    public ModelFitException()
    {
    }

    public ModelFitException(string message)
        : base(message)
    {
    }

    public ModelFitException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
