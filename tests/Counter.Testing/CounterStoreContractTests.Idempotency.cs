using Xunit;

namespace Counter.Testing;

public abstract partial class CounterStoreContractTests<TStore>
{
    [Fact]
    public virtual async Task Increment_RepeatedKey_ReplaysFirstValue()
    {
        var service = Service;
        var name = NewName();
        var keyed = new IncrementOptions { IdempotencyKey = NewName("key") };

        Assert.Equal(new IncrementResult(5, false), await service.IncrementAsync(name, 5, keyed, Cancel));
        Assert.Equal(new IncrementResult(5, true), await service.IncrementAsync(name, 5, keyed, Cancel));
        Assert.Equal(6, (await service.IncrementAsync(name, 1, null, Cancel)).Value);
        Assert.Equal(new IncrementResult(5, true), await service.IncrementAsync(name, 5, keyed, Cancel));

        Assert.Equal(6, await service.GetAsync(name, Cancel));
    }

    [Fact]
    public virtual async Task Increment_SameKeyOnTwoCounters_AppliesToEach()
    {
        var service = Service;
        var first = NewName();
        var second = NewName();
        var keyed = new IncrementOptions { IdempotencyKey = "shared-key" };

        Assert.Equal(new IncrementResult(2, false), await service.IncrementAsync(first, 2, keyed, Cancel));
        Assert.Equal(new IncrementResult(3, false), await service.IncrementAsync(second, 3, keyed, Cancel));
    }

    [Fact]
    public virtual async Task Increment_ConcurrentSameKey_AppliesOnce()
    {
        var service = Service;
        var name = NewName();
        var keyed = new IncrementOptions { IdempotencyKey = NewName("key") };

        var results = await RunConcurrentlyAsync(16, _ => service.IncrementAsync(name, 7, keyed, Cancel).AsTask());

        Assert.Single(results, r => !r.Replayed);
        Assert.All(results, r => Assert.Equal(7, r.Value));
        Assert.Equal(7, await service.GetAsync(name, Cancel));
    }

    [Fact]
    public virtual async Task Increment_ConcurrentDistinctKeys_AllApply()
    {
        var service = Service;
        var name = NewName();

        var results = await RunConcurrentlyAsync(
            32, i => service.IncrementAsync(name, 1, new IncrementOptions { IdempotencyKey = $"k{i}" }, Cancel).AsTask());

        Assert.Equal(Enumerable.Range(1, 32).Select(i => (long)i), results.Select(r => r.Value).Order());
        Assert.Equal(32, await service.GetAsync(name, Cancel));
    }

    [Fact]
    public virtual async Task Increment_KeyAfterRetention_AppliesAgain()
    {
        var service = Service;
        var name = NewName();
        var keyed = new IncrementOptions { IdempotencyKey = NewName("key") };
        await service.IncrementAsync(name, 1, keyed, Cancel);

        Clock.Advance(Retention - TimeSpan.FromSeconds(1));
        Assert.Equal(new IncrementResult(1, true), await service.IncrementAsync(name, 1, keyed, Cancel));

        Clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(new IncrementResult(2, false), await service.IncrementAsync(name, 1, keyed, Cancel));
        Assert.Equal(new IncrementResult(2, true), await service.IncrementAsync(name, 1, keyed, Cancel));
    }

    [Fact]
    public virtual async Task Increment_RefusedWithKey_RecordsNothing()
    {
        var service = Service;
        var name = NewName();
        var key = NewName("key");

        await Assert.ThrowsAsync<CounterOutOfBoundsException>(
            () => service.IncrementAsync(name, 5, new IncrementOptions { IdempotencyKey = key, Max = 4 }, Cancel).AsTask());

        // The refusal committed nothing, so the same key may still apply once.
        Assert.Equal(new IncrementResult(5, false), await service.IncrementAsync(name, 5, new IncrementOptions { IdempotencyKey = key }, Cancel));
        Assert.Equal(5, await service.GetAsync(name, Cancel));
    }

    [Fact]
    public virtual async Task Increment_KeyedAndBounded_ReplayWinsOverBounds()
    {
        var service = Service;
        var name = NewName();
        var keyed = new IncrementOptions { IdempotencyKey = NewName("key"), Max = 1 };

        Assert.Equal(new IncrementResult(1, false), await service.IncrementAsync(name, 1, keyed, Cancel));

        // A retry of an applied request must replay, even though applying it again would now break the bound.
        Assert.Equal(new IncrementResult(1, true), await service.IncrementAsync(name, 1, keyed, Cancel));
    }
}
