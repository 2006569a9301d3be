using System.Diagnostics;
using System.Diagnostics.Metrics;
using Counter.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Counter;

/// <summary>The counting API: validates input, applies the rules, and turns store outcomes into results or typed errors.</summary>
public sealed class CounterService
{
    private readonly ICounterStore store;
    private readonly TimeProvider timeProvider;
    private readonly TimeSpan idempotencyRetention;
    private readonly CounterMetrics metrics;
    private readonly ILogger logger;

    /// <summary>Initializes a new instance of the <see cref="CounterService"/> class.</summary>
    public CounterService(
        ICounterStore store,
        IOptions<CounterServiceOptions>? options = null,
        TimeProvider? timeProvider = null,
        ILogger<CounterService>? logger = null,
        IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(store);

        var retention = options?.Value.IdempotencyRetention ?? new CounterServiceOptions().IdempotencyRetention;
        ArgumentOutOfRangeException.ThrowIfLessThan(retention, TimeSpan.FromSeconds(1), "options.IdempotencyRetention");
        ArgumentOutOfRangeException.ThrowIfGreaterThan(retention, CounterServiceOptions.MaxIdempotencyRetention, "options.IdempotencyRetention");

        this.store = store;
        this.timeProvider = timeProvider ?? TimeProvider.System;
        idempotencyRetention = retention;
        metrics = CounterMetrics.For(meterFactory);
        this.logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>Adds <paramref name="delta"/> to a counter and returns the value right after.</summary>
    /// <exception cref="InvalidCounterNameException">The name breaks the naming rules.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delta"/> is 0.</exception>
    /// <exception cref="ArgumentException">The bounds are inverted, or the idempotency key is invalid.</exception>
    /// <exception cref="CounterOverflowException">The result would leave the Int64 range.</exception>
    /// <exception cref="CounterOutOfBoundsException">The result would leave the given bounds.</exception>
    /// <exception cref="CounterStoreUnavailableException">The store failed after its retries.</exception>
    public ValueTask<IncrementResult> IncrementAsync(
        string name, long delta = 1, IncrementOptions? options = null, CancellationToken cancellationToken = default) =>
        IncrementAsync(CounterName.Parse(name), delta, options, cancellationToken);

    /// <inheritdoc cref="IncrementAsync(string, long, IncrementOptions?, CancellationToken)"/>
    public async ValueTask<IncrementResult> IncrementAsync(
        CounterName name, long delta, IncrementOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentOutOfRangeException.ThrowIfZero(delta);

        var key = options?.IdempotencyKey;
        if (key is not null)
        {
            IdempotencyKey.Validate(key);
        }

        var now = timeProvider.GetUtcNow();
        var request = new IncrementRequest(
            name, delta, options?.Min, options?.Max, key, now, key is null ? default : now + idempotencyRetention);

        var started = Stopwatch.GetTimestamp();
        IncrementOutcome outcome;
        try
        {
            outcome = await store.IncrementAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (CounterStoreUnavailableException ex)
        {
            metrics.RecordIncrement("unavailable", started);
            Log.StoreUnavailable(logger, "increment", ex);
            throw;
        }

        switch (outcome.Status)
        {
            case IncrementStatus.Applied:
                metrics.RecordIncrement("applied", started);
                return new IncrementResult(outcome.Value, Replayed: false);
            case IncrementStatus.Replayed:
                metrics.RecordIncrement("replayed", started);
                return new IncrementResult(outcome.Value, Replayed: true);
            case IncrementStatus.OutOfBounds:
                metrics.RecordIncrement("out_of_bounds", started);
                throw new CounterOutOfBoundsException(name.Value, outcome.Value, delta, request.Min, request.Max);
            case IncrementStatus.Overflow:
                metrics.RecordIncrement("overflow", started);
                throw new CounterOverflowException(name.Value, outcome.Value, delta);
            default:
                throw new InvalidOperationException($"The store returned an unknown status {outcome.Status}.");
        }
    }

    /// <summary>Reads a counter; one never written reads as 0.</summary>
    /// <exception cref="InvalidCounterNameException">The name breaks the naming rules.</exception>
    /// <exception cref="CounterStoreUnavailableException">The store failed after its retries.</exception>
    public ValueTask<long> GetAsync(string name, CancellationToken cancellationToken = default) =>
        GetAsync(CounterName.Parse(name), cancellationToken);

    /// <inheritdoc cref="GetAsync(string, CancellationToken)"/>
    public ValueTask<long> GetAsync(CounterName name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Observe(store.GetAsync(name, cancellationToken), "get");
    }

    /// <summary>Sets a counter to <paramref name="value"/>.</summary>
    /// <exception cref="InvalidCounterNameException">The name breaks the naming rules.</exception>
    /// <exception cref="CounterStoreUnavailableException">The store failed after its retries.</exception>
    public ValueTask SetAsync(string name, long value, CancellationToken cancellationToken = default) =>
        SetAsync(CounterName.Parse(name), value, cancellationToken);

    /// <inheritdoc cref="SetAsync(string, long, CancellationToken)"/>
    public ValueTask SetAsync(CounterName name, long value, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Observe(store.SetAsync(name, value, cancellationToken), "set");
    }

    /// <summary>Deletes a counter, so that it reads as 0 again.</summary>
    /// <exception cref="InvalidCounterNameException">The name breaks the naming rules.</exception>
    /// <exception cref="CounterStoreUnavailableException">The store failed after its retries.</exception>
    public ValueTask DeleteAsync(string name, CancellationToken cancellationToken = default) =>
        DeleteAsync(CounterName.Parse(name), cancellationToken);

    /// <inheritdoc cref="DeleteAsync(string, CancellationToken)"/>
    public ValueTask DeleteAsync(CounterName name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Observe(store.DeleteAsync(name, cancellationToken), "delete");
    }

    /// <summary>Checks that the store answers.</summary>
    /// <exception cref="CounterStoreUnavailableException">The store does not answer.</exception>
    public ValueTask CheckHealthAsync(CancellationToken cancellationToken = default) =>
        Observe(store.CheckHealthAsync(cancellationToken), "health");

    private async ValueTask<T> Observe<T>(ValueTask<T> operation, string what)
    {
        try
        {
            return await operation.ConfigureAwait(false);
        }
        catch (CounterStoreUnavailableException ex)
        {
            Log.StoreUnavailable(logger, what, ex);
            throw;
        }
    }

    private async ValueTask Observe(ValueTask operation, string what)
    {
        try
        {
            await operation.ConfigureAwait(false);
        }
        catch (CounterStoreUnavailableException ex)
        {
            Log.StoreUnavailable(logger, what, ex);
            throw;
        }
    }
}
