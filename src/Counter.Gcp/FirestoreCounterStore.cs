using System.Diagnostics.Metrics;
using Counter.Diagnostics;
using Counter.Gcp.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Counter.Gcp;

/// <summary>Keeps counters in Cloud Firestore (native mode), one document per counter, through the Firestore v1 REST API.</summary>
/// <remarks>
/// <para><b>Plain increments</b> (no bounds, no idempotency key, |delta| up to 2^32) are one commit: an
/// <c>increment</c> field transform on the counter's document, whose transform result is the exact new value,
/// with no read and no transaction. Everything else is a <em>guarded</em> commit: read the documents, decide in
/// code with <see cref="IncrementRequest.Decide"/>, and commit with preconditions that the documents are unchanged
/// since the read (their update times, or that they are still missing). A commit whose preconditions fail
/// applied nothing and is retried from the read, so bounds and idempotency records commit atomically with the
/// increment. See <c>FirestoreCounterStore.Increment.cs</c> for the overflow design.</para>
/// <para><b>Retries.</b> Contention (ABORTED, RESOURCE_EXHAUSTED), UNAVAILABLE and failed preconditions are
/// retried with jittered exponential pauses within <see cref="FirestoreCounterStoreOptions.RetryBudget"/>; reads,
/// sets and deletes also retry DEADLINE_EXCEEDED and timeouts. Then the caller gets
/// <see cref="CounterStoreUnavailableException"/>, never a provider exception.</para>
/// </remarks>
public sealed partial class FirestoreCounterStore : ICounterStore, IDisposable
{
    /// <summary>The store's name in metrics.</summary>
    public const string StoreName = "firestore";

    private readonly FirestoreCounterStoreOptions options;
    private readonly FirestoreRestClient client;
    private readonly CounterDocuments documents;
    private readonly TimeProvider timeProvider;
    private readonly CounterMetrics metrics;
    private readonly ILogger logger;

    /// <summary>Initializes a new instance of the <see cref="FirestoreCounterStore"/> class.</summary>
    /// <exception cref="ArgumentException">The options name no project for real Firestore, or an empty database or collection.</exception>
    public FirestoreCounterStore(
        IOptions<FirestoreCounterStoreOptions> options,
        TimeProvider? timeProvider = null,
        ILogger<FirestoreCounterStore>? logger = null,
        IMeterFactory? meterFactory = null)
        : this(options, handler: null, timeProvider, logger, meterFactory)
    {
    }

    internal FirestoreCounterStore(
        IOptions<FirestoreCounterStoreOptions> options,
        HttpMessageHandler? handler,
        TimeProvider? timeProvider = null,
        ILogger<FirestoreCounterStore>? logger = null,
        IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);

        this.options = options.Value;
        client = new FirestoreRestClient(this.options, handler);
        documents = new CounterDocuments(client.DocumentsRoot, this.options.Collection);
        this.timeProvider = timeProvider ?? TimeProvider.System;
        metrics = CounterMetrics.For(meterFactory);
        this.logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <inheritdoc/>
    public async ValueTask<long> GetAsync(CounterName name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);

        var found = await RetryAsync("get", ct => client.BatchGetAsync([documents.Main(name), documents.Guarded(name)], ct), cancellationToken)
            .ConfigureAwait(false);
        return ValueOf(name, found);
    }

    /// <inheritdoc/>
    public async ValueTask SetAsync(CounterName name, long value, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);

        // Writing the value's home and deleting the other document in one commit keeps "at most one exists" true.
        FirestoreWrite[] writes =
        [
            CounterDocuments.PutValue(documents.Home(name, value), value),
            CounterDocuments.Delete(documents.Other(name, value)),
        ];
        await RetryAsync("set", ct => client.CommitAsync(writes, ct), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask DeleteAsync(CounterName name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);

        // Idempotency records stay until they expire, as in the reference store: a deleted counter's keys still replay.
        FirestoreWrite[] writes = [CounterDocuments.Delete(documents.Main(name)), CounterDocuments.Delete(documents.Guarded(name))];
        await RetryAsync("delete", ct => client.CommitAsync(writes, ct), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask CheckHealthAsync(CancellationToken cancellationToken)
    {
        // Reading a document that never exists proves the database answers and the credentials may read.
        var probe = $"{client.DocumentsRoot}/{options.Collection}-health/probe";
        await RetryAsync("health check", ct => client.BatchGetAsync([probe], ct), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public void Dispose() => client.Dispose();

    private long ValueOf(CounterName name, Dictionary<string, FirestoreDocument> found) =>
        found.TryGetValue(documents.Main(name), out var main) ? CounterDocuments.ValueOf(main)
        : found.TryGetValue(documents.Guarded(name), out var guarded) ? CounterDocuments.ValueOf(guarded)
        : 0;

    private Retrier NewRetrier(string operation) => new(options, timeProvider, metrics, logger, operation);

    /// <summary>Runs an operation that is safe to repeat (a read, or a write that sets rather than adds) with retries.</summary>
    private async Task<T> RetryAsync<T>(string operation, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        var retrier = NewRetrier(operation);
        while (true)
        {
            try
            {
                return await call(cancellationToken).ConfigureAwait(false);
            }
            catch (FirestoreCallException ex) when (ex.Kind is FailureKind.Contention or FailureKind.Unavailable or FailureKind.Ambiguous)
            {
                await retrier.PauseAsync(ex, cancellationToken).ConfigureAwait(false);
            }
            catch (FirestoreCallException ex)
            {
                throw retrier.GiveUp(ex);
            }
        }
    }
}
