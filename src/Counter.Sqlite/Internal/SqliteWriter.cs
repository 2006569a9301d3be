using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Counter.Sqlite.Internal;

/// <summary>The single writer: drains waiting writes and commits each drained batch as one transaction.</summary>
/// <remarks>
/// One commit per batch instead of one per write is what makes SQLite fast under concurrency: with 64 callers
/// waiting, one fsync-free WAL append covers all 64. Each write is still decided on the values the earlier
/// writes of its batch left, under the transaction's exclusive lock, so results are exact and linearizable.
/// </remarks>
internal sealed class SqliteWriter : IAsyncDisposable
{
    private const int MaxPurgeChunks = 100;
    private static readonly TimeSpan PurgeInterval = TimeSpan.FromMinutes(1);

    private readonly Channel<PendingWrite> queue = Channel.CreateUnbounded<PendingWrite>(
        new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = false });

    private readonly SqliteConnection connection;
    private readonly SqliteStatements statements;
    private readonly int maxBatchSize;
    private readonly TimeProvider timeProvider;
    private readonly ILogger logger;
    private readonly Thread thread;
    private readonly TaskCompletionSource stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private DateTimeOffset lastPurge;

    public SqliteWriter(SqliteConnection connection, int maxBatchSize, TimeProvider timeProvider, ILogger logger)
    {
        this.connection = connection;
        statements = new SqliteStatements(connection);
        this.maxBatchSize = maxBatchSize;
        this.timeProvider = timeProvider;
        this.logger = logger;
        lastPurge = timeProvider.GetUtcNow();

        // A dedicated thread: Microsoft.Data.Sqlite's calls are synchronous, and the writer should not hold a pool thread.
        thread = new Thread(Run) { IsBackground = true, Name = "Counter SQLite writer" };
        thread.Start();
    }

    public async ValueTask<IncrementOutcome> IncrementAsync(IncrementRequest request, CancellationToken cancellationToken) =>
        await Enqueue(PendingWrite.ForIncrement(request, cancellationToken)).ConfigureAwait(false);

    public async ValueTask SetAsync(CounterName name, long value, CancellationToken cancellationToken) =>
        await Enqueue(PendingWrite.ForSet(name, value, cancellationToken)).ConfigureAwait(false);

    public async ValueTask DeleteAsync(CounterName name, CancellationToken cancellationToken) =>
        await Enqueue(PendingWrite.ForDelete(name, cancellationToken)).ConfigureAwait(false);

    public void ThrowIfStopped()
    {
        if (stopped.Task.IsCompleted)
        {
            throw new CounterStoreUnavailableException("The SQLite store has been shut down.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        await stopped.Task.ConfigureAwait(false);
        statements.Dispose();
        await connection.DisposeAsync().ConfigureAwait(false);
    }

    private Task<IncrementOutcome> Enqueue(PendingWrite write)
    {
        write.CancellationToken.ThrowIfCancellationRequested();
        if (!queue.Writer.TryWrite(write))
        {
            throw new CounterStoreUnavailableException("The SQLite store has been shut down.");
        }

        return write.Completion;
    }

    private void Run()
    {
        var batch = new List<PendingWrite>(maxBatchSize);
        try
        {
            while (queue.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
            {
                batch.Clear();
                while (batch.Count < maxBatchSize && queue.Reader.TryRead(out var write))
                {
                    if (!write.CancelIfRequested())
                    {
                        batch.Add(write);
                    }
                }

                if (batch.Count > 0)
                {
                    CommitBatch(batch);
                }

                PurgeExpiredRecordsNowAndThen();
            }
        }
#pragma warning disable CA1031 // Last resort on the writer thread: an exception escaping it would end the process.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            // Stop taking writes and fail every waiting one, so no caller waits forever on a dead writer.
            queue.Writer.TryComplete();
            var error = new CounterStoreUnavailableException("The SQLite store's writer stopped after an unexpected error.", ex);
            foreach (var write in batch)
            {
                write.Fail(error);
            }

            while (queue.Reader.TryRead(out var waiting))
            {
                waiting.Fail(error);
            }

            Quietly(() => Log.WriterStopped(logger, ex));
        }
        finally
        {
            stopped.TrySetResult();
        }
    }

    private void CommitBatch(List<PendingWrite> batch)
    {
        // No retry here: BEGIN IMMEDIATE already waited up to BusyTimeout for another process's lock, so a failure
        // goes straight to the batch's callers as CounterStoreUnavailableException (503), as that setting promises.
        try
        {
            statements.Begin.ExecuteNonQuery();
            foreach (var write in batch)
            {
                Apply(write);
            }

            statements.Commit.ExecuteNonQuery();
        }
#pragma warning disable CA1031 // The writer must outlive any failure: the batch's callers get the error, later writes go on.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            // Rolled back, so nothing of the batch was applied: every caller may safely retry.
            RollBack();
            var error = ex as CounterStoreUnavailableException
                ?? new CounterStoreUnavailableException($"The SQLite database failed a write; nothing of it was applied: {ex.Message}", ex);
            foreach (var write in batch)
            {
                write.Fail(error);
            }

            Quietly(() => Log.BatchFailed(logger, batch.Count, ex));
            return;
        }

        // Callers first, logging after: a failing log sink must not make a committed write look failed.
        foreach (var write in batch)
        {
            write.Committed();
        }

        Quietly(() => Log.BatchCommitted(logger, batch.Count));
    }

    /// <summary>Runs a logging call on the writer thread, where a throwing log sink must change nothing.</summary>
    private static void Quietly(Action log)
    {
        try
        {
            log();
        }
#pragma warning disable CA1031 // A broken log sink is not the writer's failure.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    private void Apply(PendingWrite write)
    {
        switch (write.Kind)
        {
            case WriteKind.Increment:
                write.Outcome = ApplyIncrement(write.Increment);
                break;
            case WriteKind.Set:
                statements.WriteCounter(write.Name.Value, write.Value);
                break;
            case WriteKind.Delete:
                statements.DeleteCounter(write.Name.Value);
                break;
        }
    }

    private IncrementOutcome ApplyIncrement(IncrementRequest request)
    {
        var name = request.Name.Value;
        var key = request.IdempotencyKey;
        var now = request.Now.ToUnixTimeMilliseconds();
        if (key is not null && statements.ReadRecord(name, key, now) is { } firstValue)
        {
            return IncrementOutcome.Replayed(firstValue);
        }

        var outcome = request.Decide(statements.ReadCounter(name) ?? 0);
        if (outcome.Status == IncrementStatus.Applied)
        {
            statements.WriteCounter(name, outcome.Value);
            if (key is not null)
            {
                statements.WriteRecord(name, key, outcome.Value, request.IdempotencyExpiresAt.ToUnixTimeMilliseconds());
            }
        }

        return outcome;
    }

    private void PurgeExpiredRecordsNowAndThen()
    {
        var now = timeProvider.GetUtcNow();
        if (now - lastPurge < PurgeInterval)
        {
            return;
        }

        // On a schedule, busy or not: waiting for an idle moment would let a store that is never idle grow forever.
        // Chunks keep each transaction short, so waiting writes are delayed by one chunk at most.
        lastPurge = now;
        var purged = 0;
        try
        {
            for (var chunk = 0; chunk < MaxPurgeChunks; chunk++)
            {
                statements.Begin.ExecuteNonQuery();
                var deleted = statements.PurgeRecords(now.ToUnixTimeMilliseconds());
                statements.Commit.ExecuteNonQuery();
                purged += deleted;
                if (deleted < SqliteStatements.PurgeChunkSize)
                {
                    break;
                }
            }

            Quietly(() => Log.RecordsPurged(logger, purged));
        }
#pragma warning disable CA1031 // Nothing may escape the writer's thread: an unhandled exception there ends the process.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            // Expired records are ignored on read anyway; a failed purge only delays reclaiming space.
            RollBack();
            Quietly(() => Log.PurgeFailed(logger, ex));
        }
    }

    private void RollBack()
    {
        if (connection.State == System.Data.ConnectionState.Open)
        {
            try
            {
                statements.Rollback.ExecuteNonQuery();
            }
            catch (SqliteException)
            {
                // No transaction was open: BEGIN itself failed.
            }
        }
    }
}
