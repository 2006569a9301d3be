using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Counter.Azure.Tests;

public sealed class TableStorageCounterStoreTests(AzuriteFixture fixture) : IClassFixture<AzuriteFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static CounterService ServiceOver(ICounterStore store) => new(store);

    private static string NewName() => $"t-{Guid.NewGuid():N}";

    private static void FastRetries(TableStorageCounterStoreOptions options)
    {
        options.TransientDelay = TimeSpan.FromMilliseconds(1);
        options.MaxTransientRetries = 3;
    }

    [Theory]
    [InlineData(16)]
    [InlineData(64)]
    public async Task Increment_ConcurrentOnOneCounter_AllSucceedExactlyAndRetriesShowInMetrics(int writers)
    {
        _ = fixture.Store;
        using var meters = new TestMeterFactory();
        var service = ServiceOver(fixture.CreateStore(meterFactory: meters));
        var name = NewName();

        using var start = new ManualResetEventSlim();
        var tasks = Enumerable.Range(0, writers)
            .Select(_ => Task.Run(async () => { start.Wait(Cancel); return await service.IncrementAsync(name, 1, null, Cancel); }, Cancel))
            .ToArray();
        start.Set();
        var results = await Task.WhenAll(tasks);

        Assert.Equal(Enumerable.Range(1, writers).Select(i => (long)i), results.Select(r => r.Value).Order());
        Assert.Equal(writers, await service.GetAsync(name, Cancel));
        var conflicts = meters.Retries("tables", "conflict");
        TestContext.Current.TestOutputHelper?.WriteLine($"{writers} writers: {conflicts} lost races retried.");
        Assert.True(conflicts > 0, "Writers that lost a race must show up as retries.");

        // Each round has a winner, so no writer can lose more than writers - 1 races: the default budget covers that.
        Assert.True(writers - 1 < new TableStorageCounterStoreOptions().MaxConflictAttempts);
    }

    [Fact]
    public async Task Increment_Value_IsStoredAsInt64InTheCountersPartition()
    {
        var service = ServiceOver(fixture.Store);
        var name = CounterName.Parse("blog/2026/#1?x=\\y");

        await service.IncrementAsync(name, 5, null, Cancel);

        var entity = (await fixture.RawTable().GetEntityAsync<TableEntity>(name.StorageKey, "counter", cancellationToken: Cancel)).Value;
        Assert.IsType<long>(entity["Value"]);
        Assert.Equal(5L, entity["Value"]);
    }

    [Fact]
    public async Task Increment_KeyWithCharactersTablesForbid_IsStoredUnderAnEncodedRowKey()
    {
        var service = ServiceOver(fixture.Store);
        var name = NewName();
        var keyed = new IncrementOptions { IdempotencyKey = "order/42\\retry#1?" + new string('~', 200) };

        Assert.Equal(new IncrementResult(3, false), await service.IncrementAsync(name, 3, keyed, Cancel));
        Assert.Equal(new IncrementResult(3, true), await service.IncrementAsync(name, 3, keyed, Cancel));

        var rows = await fixture.RawTable()
            .QueryAsync<TableEntity>(e => e.PartitionKey == CounterName.Parse(name).StorageKey, cancellationToken: Cancel)
            .ToListAsync(Cancel);
        Assert.Equal(2, rows.Count);
        Assert.All(rows, row => Assert.True(row.RowKey.IndexOfAny(['/', '\\', '#', '?']) < 0, row.RowKey));
    }

    [Fact]
    public async Task Increment_ExpiredRecord_IsOverwrittenInPlace()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var service = new CounterService(
            fixture.Store, Options.Create(new CounterServiceOptions { IdempotencyRetention = TimeSpan.FromMinutes(1) }), clock);
        var name = NewName();
        var keyed = new IncrementOptions { IdempotencyKey = "k" };

        await service.IncrementAsync(name, 1, keyed, Cancel);
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(new IncrementResult(2, false), await service.IncrementAsync(name, 1, keyed, Cancel));

        var record = await fixture.RawTable()
            .QueryAsync<TableEntity>(e => e.PartitionKey == CounterName.Parse(name).StorageKey && e.RowKey != "counter", cancellationToken: Cancel)
            .SingleAsync(Cancel);
        Assert.Equal(2L, record["Value"]);
        Assert.Equal(clock.GetUtcNow() + TimeSpan.FromMinutes(1), record.GetDateTimeOffset("ExpiresAt"));
    }

    [Fact]
    public async Task Delete_KeyedCounter_KeepsRecordsSoRetriesStillReplay()
    {
        var service = ServiceOver(fixture.Store);
        var name = NewName();
        var keyed = new IncrementOptions { IdempotencyKey = "before-delete" };
        await service.IncrementAsync(name, 4, keyed, Cancel);

        await service.DeleteAsync(name, Cancel);

        // Documented behaviour (as in memory): the record outlives the counter, so a late retry does not re-apply.
        Assert.Equal(new IncrementResult(4, true), await service.IncrementAsync(name, 4, keyed, Cancel));
        Assert.Equal(0, await service.GetAsync(name, Cancel));
    }

    [Theory]
    [InlineData(429)]
    [InlineData(503)]
    [InlineData(500)]
    public async Task Increment_TransientErrorsBeforeTheWrite_AreRetried(int status)
    {
        _ = fixture.Store;
        using var meters = new TestMeterFactory();
        FaultyTableClient? faulty = null;
        var store = fixture.CreateStore(FastRetries, c => faulty = new FaultyTableClient(c), meters);
        faulty!.BeforeWrite = attempt => attempt <= 2 ? throw new RequestFailedException(status, "injected") : Task.CompletedTask;
        var name = NewName();

        Assert.Equal(new IncrementResult(4, false), await ServiceOver(store).IncrementAsync(name, 4, null, Cancel));

        Assert.Equal(4, await ServiceOver(store).GetAsync(name, Cancel));
        Assert.Equal(3, faulty.Writes);
        Assert.Equal(2, meters.Retries("tables", status == 500 ? "timeout" : "throttled"));
    }

    [Fact]
    public async Task Increment_TimeoutAfterTheWriteLanded_IsNotAppliedTwice()
    {
        _ = fixture.Store;
        FaultyTableClient? faulty = null;
        var store = fixture.CreateStore(FastRetries, c => faulty = new FaultyTableClient(c));
        faulty!.AfterWrite = attempt =>
        {
            if (attempt == 1)
            {
                throw new TaskCanceledException("The response was lost.");
            }
        };
        var name = NewName();
        await ServiceOver(fixture.Store).SetAsync(name, 10, Cancel);

        Assert.Equal(new IncrementResult(11, false), await ServiceOver(store).IncrementAsync(name, 1, null, Cancel));
        Assert.Equal(11, await ServiceOver(store).GetAsync(name, Cancel));
        Assert.Equal(1, faulty.Writes);
    }

    [Fact]
    public async Task Increment_KeyedTimeoutAfterTheWriteLanded_ReturnsAppliedOnce()
    {
        _ = fixture.Store;
        FaultyTableClient? faulty = null;
        var store = fixture.CreateStore(FastRetries, c => faulty = new FaultyTableClient(c));
        faulty!.AfterWrite = attempt =>
        {
            if (attempt == 1)
            {
                throw new RequestFailedException(504, "Gateway timeout after the commit.");
            }
        };
        var name = NewName();
        var keyed = new IncrementOptions { IdempotencyKey = "once" };

        Assert.Equal(new IncrementResult(2, false), await ServiceOver(store).IncrementAsync(name, 2, keyed, Cancel));
        Assert.Equal(new IncrementResult(2, true), await ServiceOver(store).IncrementAsync(name, 2, keyed, Cancel));
        Assert.Equal(2, await ServiceOver(store).GetAsync(name, Cancel));
    }

    [Fact]
    public async Task Increment_TimeoutThenCounterChangedByOthers_ReportsUnavailableRatherThanGuess()
    {
        _ = fixture.Store;
        FaultyTableClient? faulty = null;
        var store = fixture.CreateStore(FastRetries, c => faulty = new FaultyTableClient(c));
        var name = NewName();
        var other = ServiceOver(fixture.Store);
        faulty!.BeforeWrite = async attempt =>
        {
            if (attempt == 1)
            {
                // Another writer gets in, and our write's fate is unknown to us.
                await other.IncrementAsync(name, 100, null, Cancel);
                throw new TaskCanceledException("Timed out.");
            }
        };

        var error = await Assert.ThrowsAsync<CounterStoreUnavailableException>(
            () => ServiceOver(store).IncrementAsync(name, 1, null, Cancel).AsTask());

        Assert.Contains("idempotency key", error.Message, StringComparison.Ordinal);
        Assert.Equal(100, await other.GetAsync(name, Cancel));
    }

    [Fact]
    public async Task Increment_LostRaceAfterAnEarlierTimeout_ReportsUnavailableSinceTheTimedOutWriteMayLandLate()
    {
        _ = fixture.Store;
        FaultyTableClient? faulty = null;
        var store = fixture.CreateStore(FastRetries, c => faulty = new FaultyTableClient(c));
        var name = NewName();
        var other = ServiceOver(fixture.Store);
        faulty!.BeforeWrite = async attempt =>
        {
            if (attempt == 1)
            {
                throw new TaskCanceledException("Timed out; the write may still be in flight.");
            }

            if (attempt == 2)
            {
                await other.IncrementAsync(name, 100, null, Cancel);
            }
        };

        await Assert.ThrowsAsync<CounterStoreUnavailableException>(() => ServiceOver(store).IncrementAsync(name, 1, null, Cancel).AsTask());

        Assert.Equal(2, faulty.Writes);
        Assert.Equal(100, await other.GetAsync(name, Cancel));
    }

    [Fact]
    public async Task Increment_ThrottledUntilRetriesRunOut_ThrowsUnavailableNotTheSdkError()
    {
        _ = fixture.Store;
        FaultyTableClient? faulty = null;
        var store = fixture.CreateStore(FastRetries, c => faulty = new FaultyTableClient(c));
        faulty!.BeforeWrite = _ => throw new RequestFailedException(503, "Server busy.");
        var name = NewName();

        var error = await Assert.ThrowsAsync<CounterStoreUnavailableException>(
            () => ServiceOver(store).IncrementAsync(name, 1, null, Cancel).AsTask());

        Assert.IsType<RequestFailedException>(error.InnerException);
        Assert.Equal(4, faulty.Writes);
        Assert.Equal(0, await ServiceOver(fixture.Store).GetAsync(name, Cancel));
    }

    [Fact]
    public async Task Get_Forbidden_ThrowsUnavailableWithoutRetrying()
    {
        _ = fixture.Store;
        FaultyTableClient? faulty = null;
        var store = fixture.CreateStore(FastRetries, c => faulty = new FaultyTableClient(c));
        faulty!.BeforeRead = _ => throw new RequestFailedException(403, "Forbidden.");

        await Assert.ThrowsAsync<CounterStoreUnavailableException>(() => ServiceOver(store).GetAsync(NewName(), Cancel).AsTask());

        Assert.Equal(1, faulty.Reads);
    }

    [Fact]
    public async Task Increment_ContentionBeyondTheAttemptBudget_ThrowsUnavailable()
    {
        _ = fixture.Store;
        FaultyTableClient? faulty = null;
        var store = fixture.CreateStore(o => o.MaxConflictAttempts = 3, c => faulty = new FaultyTableClient(c));
        faulty!.BeforeWrite = _ => throw new RequestFailedException(412, "Another writer won.");

        await Assert.ThrowsAsync<CounterStoreUnavailableException>(() => ServiceOver(store).IncrementAsync(NewName(), 1, null, Cancel).AsTask());

        Assert.Equal(3, faulty.Writes);
    }

    [Fact]
    public async Task Increment_TableMissing_IsCreatedOnFirstUse()
    {
        _ = fixture.Store;
        var store = fixture.CreateStore(o => o.TableName = "fresh" + Guid.NewGuid().ToString("N")[..12]);

        Assert.Equal(1, (await ServiceOver(store).IncrementAsync(NewName(), 1, null, Cancel)).Value);
    }

    [Fact]
    public async Task Increment_CredentialMayNotCreateTables_StillCountsInTheExistingTable()
    {
        await ServiceOver(fixture.Store).CheckHealthAsync(Cancel); // makes sure the table exists
        var store = fixture.CreateStore(FastRetries, c => new FaultyTableClient(c) { ForbidCreate = true });

        Assert.Equal(1, (await ServiceOver(store).IncrementAsync(NewName(), 1, null, Cancel)).Value);
    }

    [Fact]
    public void CreateTableClient_NoConnectionGiven_Throws()
    {
        Assert.Throws<ArgumentException>(() => TableStorageCounterStore.CreateTableClient(new TableStorageCounterStoreOptions()));
    }

    [Fact]
    public void CreateTableClient_TableServiceUri_UsesThatEndpoint()
    {
        var client = TableStorageCounterStore.CreateTableClient(new TableStorageCounterStoreOptions
        {
            TableServiceUri = new Uri("https://account.table.core.windows.net"),
            TableName = "counters",
        });

        Assert.Equal("account", client.AccountName);
        Assert.Equal("counters", client.Name);
    }
}
