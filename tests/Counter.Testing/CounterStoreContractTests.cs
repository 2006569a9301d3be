using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Counter.Testing;

/// <summary>
/// The behaviour every <see cref="ICounterStore"/> must show. A store's test class derives from this with its
/// fixture and adds nothing; every test is virtual only so that a store can state, by overriding, a limit of an
/// emulator it runs on (with the reason), never to weaken an assertion.
/// </summary>
/// <typeparam name="TStore">The store under test.</typeparam>
public abstract partial class CounterStoreContractTests<TStore>
    where TStore : ICounterStore
{
    /// <summary>How long idempotency keys are remembered in these tests.</summary>
    protected static readonly TimeSpan Retention = TimeSpan.FromHours(1);

    private readonly CounterStoreFixture<TStore> fixture;

    /// <summary>Initializes a new instance of the <see cref="CounterStoreContractTests{TStore}"/> class.</summary>
    protected CounterStoreContractTests(CounterStoreFixture<TStore> fixture)
    {
        ArgumentNullException.ThrowIfNull(fixture);
        this.fixture = fixture;

        // Real wall-clock start, so a store that hands expiry to its database (DynamoDB TTL, say) sees sane times.
        Clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
    }

    /// <summary>Gets the clock the service reads; tests move it to expire idempotency keys.</summary>
    protected FakeTimeProvider Clock { get; }

    /// <summary>Gets the store under test.</summary>
    protected TStore Store => fixture.Store;

    /// <summary>Gets a service over the store under test, on <see cref="Clock"/>.</summary>
    protected CounterService Service => new(
        Store, Options.Create(new CounterServiceOptions { IdempotencyRetention = Retention }), Clock);

    /// <summary>Gets a cancellation token that ends with the test.</summary>
    protected static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>Returns a counter name no other test (or earlier run against a shared store) uses.</summary>
    protected static string NewName(string prefix = "t") => $"{prefix}-{Guid.NewGuid():N}";

    [Fact]
    public virtual async Task Get_NeverWritten_ReturnsZero()
    {
        Assert.Equal(0, await Service.GetAsync(NewName(), Cancel));
    }

    [Fact]
    public virtual async Task Increment_FreshCounter_ReturnsDelta()
    {
        var service = Service;
        var byOne = NewName();
        var byFive = NewName();

        Assert.Equal(new IncrementResult(1, false), await service.IncrementAsync(byOne, 1, null, Cancel));
        Assert.Equal(new IncrementResult(5, false), await service.IncrementAsync(byFive, 5, null, Cancel));
        Assert.Equal(1, await service.GetAsync(byOne, Cancel));
        Assert.Equal(5, await service.GetAsync(byFive, Cancel));
    }

    [Fact]
    public virtual async Task Increment_Sequence_ReturnsRunningTotal()
    {
        var service = Service;
        var name = NewName();

        Assert.Equal(3, (await service.IncrementAsync(name, 3, null, Cancel)).Value);
        Assert.Equal(10, (await service.IncrementAsync(name, 7, null, Cancel)).Value);
        Assert.Equal(8, (await service.IncrementAsync(name, -2, null, Cancel)).Value);
        Assert.Equal(-12, (await service.IncrementAsync(name, -20, null, Cancel)).Value);
        Assert.Equal(-12, await service.GetAsync(name, Cancel));
    }

    [Fact]
    public virtual async Task Increment_NegativeOnFreshCounter_GoesBelowZero()
    {
        var name = NewName();

        Assert.Equal(-4, (await Service.IncrementAsync(name, -4, null, Cancel)).Value);
        Assert.Equal(-4, await Service.GetAsync(name, Cancel));
    }

    [Fact]
    public virtual async Task Increment_64Concurrent_ReturnsEachValueFrom1To64Once()
    {
        var service = Service;
        var name = NewName();

        var results = await RunConcurrentlyAsync(64, _ => service.IncrementAsync(name, 1, null, Cancel).AsTask());

        Assert.Equal(Enumerable.Range(1, 64).Select(i => (long)i), results.Select(r => r.Value).Order());
        Assert.All(results, r => Assert.False(r.Replayed));
        Assert.Equal(64, await service.GetAsync(name, Cancel));
    }

    [Fact]
    public virtual async Task Increment_ConcurrentMixedDeltas_EndsAtExactSum()
    {
        var service = Service;
        var name = NewName();

        // 24 calls of +5 and 24 of -2: every order passes through distinct values, and the end is exact.
        await RunConcurrentlyAsync(48, i => service.IncrementAsync(name, i % 2 == 0 ? 5 : -2, null, Cancel).AsTask());

        Assert.Equal((24 * 5) - (24 * 2), await service.GetAsync(name, Cancel));
    }

    /// <summary>Runs <paramref name="count"/> operations at once, all released together.</summary>
    protected static async Task<T[]> RunConcurrentlyAsync<T>(int count, Func<int, Task<T>> operation)
    {
        ArgumentNullException.ThrowIfNull(operation);

        using var start = new ManualResetEventSlim(false);
        var tasks = Enumerable.Range(0, count)
            .Select(i => Task.Run(
                async () =>
                {
                    start.Wait(Cancel);
                    return await operation(i).ConfigureAwait(false);
                },
                Cancel))
            .ToArray();
        start.Set();
        return await Task.WhenAll(tasks).ConfigureAwait(false);
    }
}
