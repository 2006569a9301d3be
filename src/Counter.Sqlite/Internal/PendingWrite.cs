namespace Counter.Sqlite.Internal;

/// <summary>A write waiting for the writer, completed only after the transaction holding it commits.</summary>
internal sealed class PendingWrite
{
    private readonly TaskCompletionSource<IncrementOutcome> completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private PendingWrite(WriteKind kind, IncrementRequest increment, CounterName name, long value, CancellationToken cancellationToken)
    {
        Kind = kind;
        Increment = increment;
        Name = name;
        Value = value;
        CancellationToken = cancellationToken;
    }

    public WriteKind Kind { get; }

    public IncrementRequest Increment { get; }

    public CounterName Name { get; }

    /// <summary>Gets the value to set, for <see cref="WriteKind.Set"/>.</summary>
    public long Value { get; }

    public CancellationToken CancellationToken { get; }

    /// <summary>Gets or sets the outcome decided inside the transaction, reported once it commits.</summary>
    public IncrementOutcome Outcome { get; set; }

    public Task<IncrementOutcome> Completion => completion.Task;

    public static PendingWrite ForIncrement(IncrementRequest request, CancellationToken cancellationToken) =>
        new(WriteKind.Increment, request, request.Name, 0, cancellationToken);

    public static PendingWrite ForSet(CounterName name, long value, CancellationToken cancellationToken) =>
        new(WriteKind.Set, default, name, value, cancellationToken);

    public static PendingWrite ForDelete(CounterName name, CancellationToken cancellationToken) =>
        new(WriteKind.Delete, default, name, 0, cancellationToken);

    public void Committed() => completion.TrySetResult(Outcome);

    public void Fail(Exception exception) => completion.TrySetException(exception);

    public bool CancelIfRequested() => CancellationToken.IsCancellationRequested && completion.TrySetCanceled(CancellationToken);
}

internal enum WriteKind
{
    Increment,
    Set,
    Delete,
}
