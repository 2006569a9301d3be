namespace Counter.Load.Targets;

/// <summary>Counts through <see cref="CounterService"/> on a store in this process, with no HTTP in between.</summary>
internal sealed class StoreLoadTarget(string description, ICounterStore store, IAsyncDisposable? owner) : ILoadTarget
{
    private readonly CounterService service = new(store);

    public string Description => description;

    public ValueTask<long> ReadAsync(string counter, CancellationToken cancellationToken) =>
        Guard(service.GetAsync(counter, cancellationToken));

    public async ValueTask<long> IncrementAsync(string counter, CancellationToken cancellationToken)
    {
        var result = await Guard(service.IncrementAsync(counter, 1, options: null, cancellationToken));
        return result.Value;
    }

    public async ValueTask<long> NaiveIncrementAsync(string counter, CancellationToken cancellationToken)
    {
        var value = await ReadAsync(counter, cancellationToken) + 1;
        try
        {
            await service.SetAsync(counter, value, cancellationToken);
        }
        catch (CounterStoreUnavailableException ex)
        {
            throw new LoadErrorException("store unavailable", mayHaveApplied: true, ex);
        }

        return value;
    }

    public ValueTask DisposeAsync() => owner?.DisposeAsync() ?? ValueTask.CompletedTask;

    private static async ValueTask<T> Guard<T>(ValueTask<T> operation)
    {
        try
        {
            return await operation;
        }
        catch (CounterStoreUnavailableException ex)
        {
            // The store gave up after its retries: the outcome of an increment is unknown.
            throw new LoadErrorException("store unavailable", mayHaveApplied: true, ex);
        }
    }
}
