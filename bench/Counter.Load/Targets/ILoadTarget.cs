namespace Counter.Load.Targets;

/// <summary>Something to count on: a running HTTP host or a store used in-process.</summary>
internal interface ILoadTarget : IAsyncDisposable
{
    /// <summary>Gets what the target is, for the report.</summary>
    string Description { get; }

    /// <summary>Reads a counter's value.</summary>
    /// <exception cref="LoadErrorException">The read failed.</exception>
    ValueTask<long> ReadAsync(string counter, CancellationToken cancellationToken);

    /// <summary>Adds one with the API's atomic increment and returns the value right after it.</summary>
    /// <exception cref="LoadErrorException">The increment failed or its outcome is unknown.</exception>
    ValueTask<long> IncrementAsync(string counter, CancellationToken cancellationToken);

    /// <summary>Adds one the tutorial's way (read, add one, write back) and returns the value written.</summary>
    /// <exception cref="LoadErrorException">The read or the write failed.</exception>
    ValueTask<long> NaiveIncrementAsync(string counter, CancellationToken cancellationToken);
}

/// <summary>One failed operation, classified for the report.</summary>
/// <param name="kind">A short label that groups like failures, such as <c>http 503</c>.</param>
/// <param name="mayHaveApplied">Whether the increment may have been applied even so (a timeout, a 5xx, a reset).</param>
/// <param name="inner">The exception that caused it, if any.</param>
internal sealed class LoadErrorException(string kind, bool mayHaveApplied, Exception? inner = null)
    : Exception(kind, inner)
{
    /// <summary>Gets the label that groups like failures.</summary>
    public string Kind { get; } = kind;

    /// <summary>Gets a value indicating whether the increment may have been applied although it failed.</summary>
    public bool MayHaveApplied { get; } = mayHaveApplied;
}
