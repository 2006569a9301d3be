using Counter.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Counter.Gcp.Internal;

/// <summary>Paces the retries of one store operation: exponential pauses with full jitter, within a time budget.</summary>
internal sealed class Retrier
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(10);

    private readonly FirestoreCounterStoreOptions options;
    private readonly TimeProvider timeProvider;
    private readonly CounterMetrics metrics;
    private readonly ILogger logger;
    private readonly string operation;
    private readonly long started;
    private int attempts;

    public Retrier(FirestoreCounterStoreOptions options, TimeProvider timeProvider, CounterMetrics metrics, ILogger logger, string operation)
    {
        this.options = options;
        this.timeProvider = timeProvider;
        this.metrics = metrics;
        this.logger = logger;
        this.operation = operation;
        started = timeProvider.GetTimestamp();
    }

    /// <summary>Waits before the next attempt, or throws <see cref="CounterStoreUnavailableException"/> when the budget is spent.</summary>
    public async Task PauseAsync(FirestoreCallException failure, CancellationToken cancellationToken)
    {
        attempts++;
        var ceiling = Math.Min(FirstDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempts, 16)), options.MaxRetryDelay.TotalMilliseconds);
#pragma warning disable CA5394 // Jitter only spreads retries apart; it needs no cryptographic randomness.
        var delay = TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * ceiling);
#pragma warning restore CA5394

        if (timeProvider.GetElapsedTime(started) + delay > options.RetryBudget)
        {
            throw GiveUp(failure);
        }

        metrics.RecordStoreRetry(FirestoreCounterStore.StoreName, ReasonOf(failure.Kind));
        Log.Retrying(logger, operation, failure.Status, attempts);
        await Task.Delay(delay, timeProvider, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Builds the error the caller sees when Firestore keeps failing or fails for good.</summary>
    public CounterStoreUnavailableException GiveUp(FirestoreCallException failure)
    {
        Log.GaveUp(logger, operation, failure.Status, attempts, failure);
        var message = failure.Kind == FailureKind.Ambiguous
            ? $"Firestore failed the {operation} with {failure.Status}; it may or may not have been applied."
            : $"Firestore failed the {operation} with {failure.Status} after {attempts + 1} attempt(s).";
        return new CounterStoreUnavailableException(message, failure, TimeSpan.FromSeconds(1));
    }

    private static string ReasonOf(FailureKind kind) => kind switch
    {
        FailureKind.Precondition => "precondition",
        FailureKind.Contention => "contention",
        _ => "transient",
    };
}
