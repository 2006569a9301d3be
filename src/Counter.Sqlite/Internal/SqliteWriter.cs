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
            RollBack();
            Exception error = ex is SqliteException sqlite ? SqliteSchema.Unavailable("write", sqlite) : ex;
            Log.BatchFailed(logger, batch.Count, ex);
            foreach (var write in batch)
            {
                write.Fail(error);
            }

            return;
        }

        Log.BatchCommitted(logger, batch.Count);
        foreach (var write in batch)
        {
            write.Committed();
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
        // TryPeek, not Count: a single-reader unbounded channel cannot count, and Count throws NotSupportedException.
        if (now - lastPurge < PurgeInterval || queue.Reader.TryPeek(out _))
        {
            return;
        }

        lastPurge = now;
        try
        {
            statements.Begin.ExecuteNonQuery();
            var purged = statements.PurgeRecords(now.ToUnixTimeMilliseconds());
            statements.Commit.ExecuteNonQuery();
            Log.RecordsPurged(logger, purged);
        }
#pragma warning disable CA1031 // Nothing may escape the writer's thread: an unhandled exception there ends the process.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            // Expired records are ignored on read anyway; a failed purge only delays reclaiming space.
            RollBack();
            Log.PurgeFailed(logger, ex);
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
