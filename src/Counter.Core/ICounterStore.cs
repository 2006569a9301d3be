namespace Counter;

/// <summary>Where counters live. Implementations make each operation atomic; <see cref="CounterService"/> holds the rules.</summary>
/// <remarks>
/// Every implementation must pass the shared contract suite (<c>Counter.Testing</c>) unchanged. In short:
/// an increment is applied exactly once and atomically, returns the value right after it, and is applied only
/// when <see cref="IncrementRequest.Accepts"/> holds for the current value (a missing counter is 0);
/// an idempotency record and its increment commit together; failures that outlast the store's retries
/// surface as <see cref="CounterStoreUnavailableException"/>, never as a provider exception.
/// </remarks>
public interface ICounterStore
{
    /// <summary>Applies an increment atomically, or reports why it was not applied.</summary>
    /// <exception cref="CounterStoreUnavailableException">The store failed after its retries.</exception>
    ValueTask<IncrementOutcome> IncrementAsync(IncrementRequest request, CancellationToken cancellationToken);

    /// <summary>Reads a counter; one that was never written, or was deleted, reads as 0.</summary>
    /// <exception cref="CounterStoreUnavailableException">The store failed after its retries.</exception>
    ValueTask<long> GetAsync(CounterName name, CancellationToken cancellationToken);

    /// <summary>Sets a counter to a value, creating it when missing.</summary>
    /// <exception cref="CounterStoreUnavailableException">The store failed after its retries.</exception>
    ValueTask SetAsync(CounterName name, long value, CancellationToken cancellationToken);

    /// <summary>Deletes a counter; deleting a missing counter succeeds.</summary>
    /// <exception cref="CounterStoreUnavailableException">The store failed after its retries.</exception>
    ValueTask DeleteAsync(CounterName name, CancellationToken cancellationToken);

    /// <summary>Checks that the store answers.</summary>
    /// <exception cref="CounterStoreUnavailableException">The store does not answer.</exception>
    ValueTask CheckHealthAsync(CancellationToken cancellationToken);
}
