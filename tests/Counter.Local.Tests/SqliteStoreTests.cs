using Counter.Sqlite;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Counter.Local.Tests;

/// <summary>What only the SQLite store promises, beyond the shared contract.</summary>
public sealed class SqliteStoreTests : IDisposable
{
    private readonly TemporaryDatabase database = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public void Dispose() => database.Dispose();

    [Fact]
    public async Task Increment_TwoStoresOnOneFile_CountExactlyTogether()
    {
        await using var first = Open();
        await using var second = Open();
        var name = CounterName.Parse("shared");

        var results = await Task.WhenAll(Enumerable.Range(0, 400).Select(i =>
            (i % 2 == 0 ? first : second).IncrementAsync(new IncrementRequest(name, 1), Cancel).AsTask()));

        Assert.Equal(Enumerable.Range(1, 400).Select(i => (long)i), results.Select(r => r.Value).Order());
        Assert.Equal(400, await first.GetAsync(name, Cancel));
    }

    [Fact]
    public async Task Increment_LockHeldPastBusyTimeout_ThrowsStoreUnavailableThenRecovers()
    {
        var options = new SqliteCounterStoreOptions { DatabasePath = database.Path, BusyTimeout = TimeSpan.FromSeconds(1) };
        await using var store = new SqliteCounterStore(Options.Create(options));
        var name = CounterName.Parse("locked");
        await using var other = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={database.Path};Pooling=false");
        await other.OpenAsync(Cancel);
        await using (var hold = other.CreateCommand())
        {
            hold.CommandText = "BEGIN EXCLUSIVE";
            await hold.ExecuteNonQueryAsync(Cancel);
        }

        var started = System.Diagnostics.Stopwatch.StartNew();
        await Assert.ThrowsAsync<CounterStoreUnavailableException>(() => store.IncrementAsync(new IncrementRequest(name, 1), Cancel).AsTask());
        Assert.InRange(started.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(10));

        await using (var release = other.CreateCommand())
        {
            release.CommandText = "COMMIT";
            await release.ExecuteNonQueryAsync(Cancel);
        }

        Assert.Equal(1, (await store.IncrementAsync(new IncrementRequest(name, 1), Cancel)).Value);
    }

    [Fact]
    public async Task Increment_AfterDispose_ThrowsStoreUnavailable()
    {
        var store = Open();
        await store.DisposeAsync();

        await Assert.ThrowsAsync<CounterStoreUnavailableException>(
            () => store.IncrementAsync(new IncrementRequest(CounterName.Parse("late"), 1), Cancel).AsTask());
    }

    [Fact]
    public void Open_UnwritableLocation_ThrowsStoreUnavailable()
    {
        var options = new SqliteCounterStoreOptions { DatabasePath = "/proc/counters-cannot-live-here/counters.db" };

        Assert.Throws<CounterStoreUnavailableException>(() => new SqliteCounterStore(Options.Create(options)));
    }

    [Fact]
    public async Task Open_PowerLossDurability_CountsTheSame()
    {
        await using var store = Open(SqliteDurability.PowerLoss);
        var name = CounterName.Parse("durable");

        await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => store.IncrementAsync(new IncrementRequest(name, 2), Cancel).AsTask()));

        Assert.Equal(100, await store.GetAsync(name, Cancel));
    }

    [Fact]
    public async Task Increment_AfterThePurgeInterval_KeepsTheWriterRunning()
    {
        // The writer purges expired idempotency records once a minute, between batches; that must not stop it.
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var options = new SqliteCounterStoreOptions { DatabasePath = database.Path };
        await using var store = new SqliteCounterStore(Options.Create(options), time);
        var name = CounterName.Parse("long-lived");

        await store.IncrementAsync(new IncrementRequest(name, 1, now: time.GetUtcNow()), Cancel);
        time.Advance(TimeSpan.FromMinutes(2));
        await store.IncrementAsync(new IncrementRequest(name, 1, now: time.GetUtcNow()), Cancel);
        var third = await store.IncrementAsync(new IncrementRequest(name, 1, now: time.GetUtcNow()), Cancel);

        Assert.Equal(3, third.Value);
    }

    private SqliteCounterStore Open(SqliteDurability durability = SqliteDurability.ProcessCrash) =>
        new(Options.Create(new SqliteCounterStoreOptions { DatabasePath = database.Path, Durability = durability }));
}
