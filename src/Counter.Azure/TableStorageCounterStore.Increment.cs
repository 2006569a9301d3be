using Azure;
using Azure.Data.Tables;
using Counter.Azure.Internal;

namespace Counter.Azure;

public sealed partial class TableStorageCounterStore
{
    /// <inheritdoc/>
    /// <remarks>
    /// Each round reads the counter (and the key's record) and writes on the condition that neither changed. Every
    /// write carries an id of this call, so when a write fails in a way that leaves its fate unknown (a timeout, a
    /// 500), the next read tells whether it landed: an increment is never applied twice. An unkeyed increment whose
    /// counter was meanwhile changed by someone else cannot tell, and reports the store unavailable instead of
    /// guessing; a keyed one can always tell from its record.
    /// </remarks>
    public async ValueTask<IncrementOutcome> IncrementAsync(IncrementRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request.Name);

        var operation = Guid.NewGuid().ToString("N");
        var conflicts = 0;
        var transientRetries = 0;

        // The counter as read before our first write whose fate is unknown. It stays set: such a write may still land
        // late, so from then on the counter must either be unchanged since or show that our write is what changed it.
        Snapshot? doubt = null;

        while (true)
        {
            Snapshot? writing = null;
            try
            {
                await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
                var snapshot = await ReadAsync(request, cancellationToken).ConfigureAwait(false);

                if (Settled(request, snapshot, operation, doubt) is { } settled)
                {
                    return settled;
                }

                var outcome = request.Decide(snapshot.Value);
                if (outcome.Status != IncrementStatus.Applied)
                {
                    return outcome;
                }

                writing = snapshot;
                await WriteAsync(request, snapshot, outcome.Value, operation, cancellationToken).ConfigureAwait(false);
                return outcome;
            }
            catch (Exception ex) when (TableFailures.Classify(ex, cancellationToken) is not TableFailure.None and var failure)
            {
                if (failure == TableFailure.Ambiguous && writing is not null)
                {
                    doubt ??= writing;
                }

                if (failure == TableFailure.Conflict)
                {
                    // The write certainly did not happen: another writer won the race.
                    conflicts++;
                    await PauseAfterConflictAsync(conflicts, ex, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                await PauseOrGiveUpAsync("increment", failure, ex, transientRetries++, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Returns the outcome when the read already decides it: a replay, or a write of ours that landed.</summary>
    /// <exception cref="CounterStoreUnavailableException">A write of ours is in doubt and the read cannot settle it.</exception>
    private static IncrementOutcome? Settled(IncrementRequest request, Snapshot snapshot, string operation, Snapshot? doubt)
    {
        if (snapshot.Record is { } record && record.ExpiresAt > request.Now)
        {
            return record.Operation == operation ? IncrementOutcome.Applied(record.Value) : IncrementOutcome.Replayed(record.Value);
        }

        if (request.IdempotencyKey is not null)
        {
            // The record commits with the counter, so no live record means no write of ours landed.
            return null;
        }

        if (snapshot.Operation == operation)
        {
            return IncrementOutcome.Applied(snapshot.Value);
        }

        if (doubt is { } before && snapshot.ETag != before.ETag)
        {
            throw new CounterStoreUnavailableException(
                "An increment's write timed out and the counter has changed since, so whether it was applied is unknown. "
                + "Send increments with an idempotency key to make such retries safe.");
        }

        return null;
    }

    private async Task PauseAfterConflictAsync(int conflicts, Exception exception, CancellationToken cancellationToken)
    {
        if (conflicts >= options.MaxConflictAttempts)
        {
            Log.RetriesExhausted(logger, "increment", conflicts, "conflict", exception);
            throw new CounterStoreUnavailableException(
                $"The counter is so contended that an increment lost {conflicts} write races in a row.",
                exception,
                TimeSpan.FromSeconds(1));
        }

        metrics.RecordStoreRetry(StoreTag, "conflict");
        await Task.Delay(Backoff.AfterConflict(conflicts, options.MaxConflictDelay), timeProvider, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>Reads the counter, and with a key its record, in one request.</summary>
    private async Task<Snapshot> ReadAsync(IncrementRequest request, CancellationToken cancellationToken)
    {
        var partition = request.Name.StorageKey;
        if (request.IdempotencyKey is not { } key)
        {
            var found = await table.GetEntityIfExistsAsync<TableEntity>(partition, TableKeys.CounterRow, cancellationToken: cancellationToken)
                .ConfigureAwait(false);
            return found.HasValue ? Snapshot.Of(found.Value!, null) : Snapshot.Missing;
        }

        var recordRow = TableKeys.RecordRow(key);
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {partition} and (RowKey eq {TableKeys.CounterRow} or RowKey eq {recordRow})");

        TableEntity? counter = null;
        TableEntity? record = null;
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, maxPerPage: 2, cancellationToken: cancellationToken)
                           .ConfigureAwait(false))
        {
            if (entity.RowKey == TableKeys.CounterRow)
            {
                counter = entity;
            }
            else
            {
                record = entity;
            }
        }

        var snapshot = counter is null ? Snapshot.Missing : Snapshot.Of(counter, null);
        return snapshot with { Record = record is null ? null : Record.Of(record) };
    }

    /// <summary>Writes the new value on the condition that the counter (and the key's record) are as read.</summary>
    private async Task WriteAsync(
        IncrementRequest request, Snapshot snapshot, long newValue, string operation, CancellationToken cancellationToken)
    {
        var partition = request.Name.StorageKey;
        var counter = new TableEntity(partition, TableKeys.CounterRow)
        {
            [TableKeys.Value] = newValue,
            [TableKeys.Operation] = operation,
        };

        if (request.IdempotencyKey is not { } key)
        {
            if (snapshot.Exists)
            {
                await table.UpdateEntityAsync(counter, snapshot.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await table.AddEntityAsync(counter, cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        var record = new TableEntity(partition, TableKeys.RecordRow(key))
        {
            [TableKeys.Value] = newValue,
            [TableKeys.Operation] = operation,
            [TableKeys.ExpiresAt] = request.IdempotencyExpiresAt,
        };

        // One entity-group transaction: both entities share the partition, so the service applies both or neither.
        TableTransactionAction[] actions =
        [
            snapshot.Exists
                ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, counter, snapshot.ETag)
                : new TableTransactionAction(TableTransactionActionType.Add, counter),
            snapshot.Record is { } expired
                ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, record, expired.ETag)
                : new TableTransactionAction(TableTransactionActionType.Add, record),
        ];
        await table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A counter as read: its value (0 when missing), its ETag, the call that last wrote it, and the key's record.</summary>
    private sealed record Snapshot(bool Exists, long Value, ETag ETag, string? Operation, Record? Record)
    {
        public static Snapshot Missing { get; } = new(false, 0, default, null, null);

        public static Snapshot Of(TableEntity entity, Record? record) =>
            new(true, entity.GetInt64(TableKeys.Value) ?? 0, entity.ETag, entity.GetString(TableKeys.Operation), record);
    }

    /// <summary>An idempotency record as read.</summary>
    private sealed record Record(long Value, DateTimeOffset ExpiresAt, ETag ETag, string? Operation)
    {
        public static Record Of(TableEntity entity) => new(
            entity.GetInt64(TableKeys.Value) ?? 0,
            entity.GetDateTimeOffset(TableKeys.ExpiresAt) ?? DateTimeOffset.MinValue,
            entity.ETag,
            entity.GetString(TableKeys.Operation));
    }
}
