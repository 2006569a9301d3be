using Counter.Gcp.Internal;

namespace Counter.Gcp;

// How increments stay exact at the Int64 limits.
//
// Firestore's integer `increment` transform saturates: MaxValue - 1 plus 5 stores MaxValue, silently. A transform
// cannot be made conditional on the value (preconditions only test existence and update time), so an unguarded
// transform is safe only where the stored value is known to be far from the limits. The store keeps that true:
//
// 1. A counter with |value| <= 2^62 lives in its main document; one beyond lives in a second, guarded document
//    (CounterDocuments.Guarded). Sets and guarded commits put the value in its home and delete the other document
//    in the same atomic commit, and reads take both documents at one snapshot.
// 2. The unguarded path (no bounds, no key, |delta| <= 2^32) requires the main document to exist. When it does
//    not (a fresh counter, or one near a limit), the commit fails with NOT_FOUND, applies nothing, and the
//    increment takes the guarded path: read, Decide, commit with "unchanged since the read" preconditions. So an
//    increment that would overflow is refused there with the unchanged value, as in every store.
// 3. An unguarded result beyond 2^62 means the counter drifted out of the safe zone; that caller moves it to the
//    guarded document (a guarded commit) before it returns.
//
// Known limit: between the commit that crosses 2^62 and the move, other unguarded increments still land on the
// main document. Saturation would need the value to climb from 2^62 to within 2^32 of MaxValue in that window:
// about 2^30 (a billion) unguarded increments of one counter, all committed while every caller that saw the
// crossing has yet to finish its move. Firestore's per-document write rate makes that unreachable in practice,
// but it is an argument about rates, not a proof, so a result equal to an Int64 limit on the unguarded path is
// logged as an error (FirestoreSaturationSuspected). A test pins the move:
// FirestoreCounterStoreTests.Increment_AcrossNearLimit_MovesCounterBetweenDocuments.
//
// Guarded commits are optimistic, not transactions: under a sustained stream of plain increments to the same
// counter a bounded or keyed increment may keep losing its precondition until RetryBudget runs out (then 503).
// Firestore's advice of about one sustained write per second per document keeps such streams rare.
//
// Retrying commits: a commit that failed with a precondition, ABORTED, RESOURCE_EXHAUSTED or UNAVAILABLE applied
// nothing, so it is retried. One that timed out (DEADLINE_EXCEEDED, a lost response) may have applied: a keyed
// increment retries anyway, because its record carries this call's writer id and the re-read finds it; an unkeyed
// one gives up with CounterStoreUnavailableException, whose contract tells the caller the outcome is unknown.
public sealed partial class FirestoreCounterStore
{
    /// <summary>The largest |delta| the unguarded path takes; larger ones are rare and go through the guarded path.</summary>
    internal const long MaxUnguardedDelta = 1L << 32;

    /// <inheritdoc/>
    public async ValueTask<IncrementOutcome> IncrementAsync(IncrementRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request.Name);

        var retrier = NewRetrier("increment");
        var unguarded = request is { IdempotencyKey: null, Min: null, Max: null, Delta: >= -MaxUnguardedDelta and <= MaxUnguardedDelta };
        var writer = request.IdempotencyKey is null ? null : Guid.NewGuid().ToString("N");

        while (true)
        {
            try
            {
                if (unguarded && await TryUnguardedAsync(request, retrier, cancellationToken).ConfigureAwait(false) is { } applied)
                {
                    return applied;
                }

                return await GuardedAsync(request, writer, retrier, cancellationToken).ConfigureAwait(false);
            }
            catch (FirestoreCallException ex) when (ex.Kind is not FailureKind.Permanent)
            {
                await retrier.PauseAsync(ex, cancellationToken).ConfigureAwait(false);
            }
            catch (FirestoreCallException ex)
            {
                throw retrier.GiveUp(ex);
            }
        }
    }

    /// <summary>Adds the delta with one transform; <see langword="null"/> when the main document is missing.</summary>
    private async Task<IncrementOutcome?> TryUnguardedAsync(IncrementRequest request, Retrier retrier, CancellationToken cancellationToken)
    {
        FirestoreCommitResponse response;
        try
        {
            response = await client.CommitAsync([documents.Increment(request.Name, request.Delta)], cancellationToken).ConfigureAwait(false);
        }
        catch (FirestoreCallException ex) when (ex.Kind == FailureKind.Precondition)
        {
            return null;
        }
        catch (FirestoreCallException ex) when (ex.Kind == FailureKind.Ambiguous)
        {
            throw retrier.GiveUp(ex);
        }

        var value = CounterDocuments.ReadInteger(response.WriteResults is [{ TransformResults: [var result, ..] }, ..] ? result : null);
        if (value is long.MaxValue or long.MinValue)
        {
            Log.SaturationSuspected(logger, value);
        }

        if (CounterDocuments.IsNearLimit(value))
        {
            await MoveToGuardedAsync(request.Name, cancellationToken).ConfigureAwait(false);
        }

        return IncrementOutcome.Applied(value);
    }

    /// <summary>Reads, decides, and commits on the condition that nothing changed since the read.</summary>
    private async Task<IncrementOutcome> GuardedAsync(
        IncrementRequest request, string? writer, Retrier retrier, CancellationToken cancellationToken)
    {
        var name = request.Name;
        var main = documents.Main(name);
        var guarded = documents.Guarded(name);
        var record = request.IdempotencyKey is { } key ? documents.Record(name, key) : null;

        var found = await client.BatchGetAsync(record is null ? [main, guarded] : [main, guarded, record], cancellationToken)
            .ConfigureAwait(false);

        var recordDocument = record is null ? null : found.GetValueOrDefault(record);
        if (recordDocument is not null)
        {
            var (firstValue, expiresAt, recordWriter) = CounterDocuments.ReadRecord(recordDocument);
            if (recordWriter == writer)
            {
                // An earlier attempt of this very call timed out after committing.
                return IncrementOutcome.Applied(firstValue);
            }

            if (expiresAt > request.Now)
            {
                return IncrementOutcome.Replayed(firstValue);
            }
        }

        var outcome = request.Decide(ValueOf(name, found));
        if (outcome.Status != IncrementStatus.Applied)
        {
            return outcome;
        }

        var home = documents.Home(name, outcome.Value);
        var other = documents.Other(name, outcome.Value);
        List<FirestoreWrite> writes =
        [
            CounterDocuments.PutValue(home, outcome.Value, CounterDocuments.Unchanged(found.GetValueOrDefault(home))),
            CounterDocuments.Delete(other, CounterDocuments.Unchanged(found.GetValueOrDefault(other))),
        ];
        if (record is not null && writer is not null)
        {
            writes.Add(CounterDocuments.PutRecord(
                record, outcome.Value, request.IdempotencyExpiresAt, writer, CounterDocuments.Unchanged(recordDocument)));
        }

        try
        {
            await client.CommitAsync(writes, cancellationToken).ConfigureAwait(false);
        }
        catch (FirestoreCallException ex) when (ex.Kind == FailureKind.Ambiguous && writer is null)
        {
            throw retrier.GiveUp(ex);
        }

        return outcome;
    }

    /// <summary>Moves a counter that drifted beyond ±2^62 from its main document to its guarded one.</summary>
    private async Task MoveToGuardedAsync(CounterName name, CancellationToken cancellationToken)
    {
        var main = documents.Main(name);
        var guarded = documents.Guarded(name);
        var retrier = NewRetrier("move near the limit");
        try
        {
            while (true)
            {
                try
                {
                    var found = await client.BatchGetAsync([main, guarded], cancellationToken).ConfigureAwait(false);
                    if (!found.TryGetValue(main, out var mainDocument)
                        || CounterDocuments.ValueOf(mainDocument) is var value && !CounterDocuments.IsNearLimit(value))
                    {
                        return;
                    }

                    FirestoreWrite[] writes =
                    [
                        CounterDocuments.PutValue(guarded, value, CounterDocuments.Unchanged(found.GetValueOrDefault(guarded))),
                        CounterDocuments.Delete(main, CounterDocuments.Unchanged(mainDocument)),
                    ];
                    await client.CommitAsync(writes, cancellationToken).ConfigureAwait(false);
                    return;
                }
                catch (FirestoreCallException ex) when (ex.Kind is not FailureKind.Permanent)
                {
                    // Safe to repeat: the move re-reads, and stops once the main document is gone.
                    await retrier.PauseAsync(ex, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex) when (ex is FirestoreCallException or CounterStoreUnavailableException or OperationCanceledException)
        {
            // The increment itself is applied; the next unguarded result beyond 2^62 tries the move again.
            Log.RelocationFailed(logger, ex);
        }
    }
}
