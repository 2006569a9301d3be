using Xunit;

namespace Counter.Testing;

public abstract partial class CounterStoreContractTests<TStore>
{
    [Fact]
    public virtual async Task Increment_PastInt64Max_ThrowsOverflowAndLeavesValue()
    {
        var service = Service;
        var name = NewName();
        await service.SetAsync(name, long.MaxValue - 1, Cancel);

        Assert.Equal(long.MaxValue, (await service.IncrementAsync(name, 1, null, Cancel)).Value);
        var error = await Assert.ThrowsAsync<CounterOverflowException>(() => service.IncrementAsync(name, 1, null, Cancel).AsTask());

        Assert.Equal(long.MaxValue, error.CurrentValue);
        Assert.Equal(long.MaxValue, await service.GetAsync(name, Cancel));
    }

    [Fact]
    public virtual async Task Increment_PastInt64Min_ThrowsOverflowAndLeavesValue()
    {
        var service = Service;
        var name = NewName();
        await service.SetAsync(name, long.MinValue + 1, Cancel);

        Assert.Equal(long.MinValue, (await service.IncrementAsync(name, -1, null, Cancel)).Value);
        var error = await Assert.ThrowsAsync<CounterOverflowException>(() => service.IncrementAsync(name, -1, null, Cancel).AsTask());

        Assert.Equal(long.MinValue, error.CurrentValue);
        Assert.Equal(long.MinValue, await service.GetAsync(name, Cancel));
    }

    [Fact]
    public virtual async Task Increment_HugeDeltasOnFreshCounter_ReachLimitsThenOverflow()
    {
        var service = Service;
        var up = NewName();
        var down = NewName();

        Assert.Equal(long.MaxValue, (await service.IncrementAsync(up, long.MaxValue, null, Cancel)).Value);
        await Assert.ThrowsAsync<CounterOverflowException>(() => service.IncrementAsync(up, long.MaxValue, null, Cancel).AsTask());
        Assert.Equal(long.MinValue, (await service.IncrementAsync(down, long.MinValue, null, Cancel)).Value);
        await Assert.ThrowsAsync<CounterOverflowException>(() => service.IncrementAsync(down, -1, null, Cancel).AsTask());

        Assert.Equal(long.MaxValue, await service.GetAsync(up, Cancel));
        Assert.Equal(long.MinValue, await service.GetAsync(down, Cancel));
    }

    [Fact]
    public virtual async Task Increment_AboveMax_ThrowsOutOfBoundsWithCurrent()
    {
        var service = Service;
        var name = NewName();
        var bounded = new IncrementOptions { Max = 3 };

        for (var expected = 1; expected <= 3; expected++)
        {
            Assert.Equal(expected, (await service.IncrementAsync(name, 1, bounded, Cancel)).Value);
        }

        var error = await Assert.ThrowsAsync<CounterOutOfBoundsException>(() => service.IncrementAsync(name, 1, bounded, Cancel).AsTask());
        Assert.Equal(3, error.CurrentValue);
        Assert.Equal(3, error.Max);
        Assert.Equal(3, await service.GetAsync(name, Cancel));
    }

    [Fact]
    public virtual async Task Increment_BelowMin_ThrowsOutOfBoundsAndLeavesCounterMissing()
    {
        var service = Service;
        var name = NewName();

        var error = await Assert.ThrowsAsync<CounterOutOfBoundsException>(
            () => service.IncrementAsync(name, -1, new IncrementOptions { Min = 0 }, Cancel).AsTask());

        Assert.Equal(0, error.CurrentValue);
        Assert.Equal(0, await service.GetAsync(name, Cancel));
    }

    [Fact]
    public virtual async Task Increment_FreshCounterWhoseZeroIsOutsideBounds_AppliesOnlyWhenResultFits()
    {
        var service = Service;
        var name = NewName();

        // Bounds apply to the result, not to the value before: 0 + 7 lands inside [5, 10].
        Assert.Equal(7, (await service.IncrementAsync(name, 7, new IncrementOptions { Min = 5, Max = 10 }, Cancel)).Value);
        var error = await Assert.ThrowsAsync<CounterOutOfBoundsException>(
            () => service.IncrementAsync(name, 7, new IncrementOptions { Min = 5, Max = 10 }, Cancel).AsTask());

        Assert.Equal(7, error.CurrentValue);
        Assert.Equal(7, await service.GetAsync(name, Cancel));
    }

    [Fact]
    public virtual async Task Increment_ConcurrentAgainstMax_AppliesExactlyUpToMax()
    {
        var service = Service;
        var name = NewName();
        var bounded = new IncrementOptions { Max = 10 };

        var outcomes = await RunConcurrentlyAsync(32, async _ =>
        {
            try
            {
                return (await service.IncrementAsync(name, 1, bounded, Cancel)).Value;
            }
            catch (CounterOutOfBoundsException ex)
            {
                Assert.Equal(10, ex.CurrentValue);
                return -1;
            }
        });

        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), outcomes.Where(v => v > 0).Order());
        Assert.Equal(22, outcomes.Count(v => v == -1));
        Assert.Equal(10, await service.GetAsync(name, Cancel));
    }

    [Fact]
    public virtual async Task Increment_CounterResetToZero_CountsFromZero()
    {
        var service = Service;
        var name = NewName();
        await service.IncrementAsync(name, 5, null, Cancel);

        // A stored 0 is not a missing counter: falsy-zero and BETWEEN quirks in some emulators refuse it.
        await service.SetAsync(name, 0, Cancel);

        Assert.Equal(1, (await service.IncrementAsync(name, 1, null, Cancel)).Value);
        await service.SetAsync(name, 0, Cancel);
        Assert.Equal(-1, (await service.IncrementAsync(name, -1, new IncrementOptions { Min = -1, Max = 0 }, Cancel)).Value);
    }

    [Fact]
    public virtual async Task Set_ThenIncrement_ContinuesFromSetValue()
    {
        var service = Service;
        var name = NewName();
        await service.IncrementAsync(name, 9, null, Cancel);

        await service.SetAsync(name, 42, Cancel);
        Assert.Equal(42, await service.GetAsync(name, Cancel));
        Assert.Equal(43, (await service.IncrementAsync(name, 1, null, Cancel)).Value);

        await service.SetAsync(name, -7, Cancel);
        Assert.Equal(-7, await service.GetAsync(name, Cancel));
    }

    [Fact]
    public virtual async Task Set_Int64Extremes_ReadBackExactly()
    {
        var service = Service;
        var name = NewName();

        await service.SetAsync(name, long.MaxValue, Cancel);
        Assert.Equal(long.MaxValue, await service.GetAsync(name, Cancel));
        await service.SetAsync(name, long.MinValue, Cancel);
        Assert.Equal(long.MinValue, await service.GetAsync(name, Cancel));

        // Past 2^53 a double loses units: this value would read back wrong through a floating-point path.
        await service.SetAsync(name, 9_007_199_254_740_993, Cancel);
        Assert.Equal(9_007_199_254_740_994, (await service.IncrementAsync(name, 1, null, Cancel)).Value);
    }

    [Fact]
    public virtual async Task Delete_ThenGetAndIncrement_StartFromZero()
    {
        var service = Service;
        var name = NewName();
        await service.IncrementAsync(name, 5, null, Cancel);

        await service.DeleteAsync(name, Cancel);

        Assert.Equal(0, await service.GetAsync(name, Cancel));
        Assert.Equal(1, (await service.IncrementAsync(name, 1, null, Cancel)).Value);
    }

    [Fact]
    public virtual async Task Delete_MissingCounter_Succeeds()
    {
        var name = NewName();

        await Service.DeleteAsync(name, Cancel);

        Assert.Equal(0, await Service.GetAsync(name, Cancel));
    }

    [Fact]
    public virtual async Task CheckHealth_RunningStore_Succeeds()
    {
        await Service.CheckHealthAsync(Cancel);
    }
}
