using Azure;

namespace Counter.Azure.Tests;

/// <summary>Writes whose answer is lost: the store repeats one only when a re-read proves that is safe.</summary>
public sealed class UncertainWriteTests(AzuriteFixture fixture) : IClassFixture<AzuriteFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static string NewName() => $"t-{Guid.NewGuid():N}";

    private static TaskCanceledException LostResponse() => new TaskCanceledException("The response was lost.");

    private (TableStorageCounterStore Store, FaultyTableClient Faulty, CounterService Other) Arrange()
    {
        _ = fixture.Store;
        FaultyTableClient? faulty = null;
        var store = fixture.CreateStore(
            o =>
            {
                o.TransientDelay = TimeSpan.FromMilliseconds(1);
                o.MaxTransientRetries = 3;
            },
            c => faulty = new FaultyTableClient(c));
        return (store, faulty!, new CounterService(fixture.Store));
    }

    [Fact]
    public async Task Set_AnswerLostAfterAnotherClientIncremented_ReportsUnavailableAndKeepsTheIncrement()
    {
        var (store, faulty, other) = Arrange();
        var name = NewName();
        long acknowledged = 0;
        faulty.AfterWrite = async attempt =>
        {
            if (attempt == 1)
            {
                acknowledged = (await other.IncrementAsync(name, 1, null, Cancel)).Value;
                throw LostResponse();
            }
        };

        var error = await Assert.ThrowsAsync<CounterStoreUnavailableException>(
            () => new CounterService(store).SetAsync(name, 100, Cancel).AsTask());

        Assert.Contains("may or may not", error.Message, StringComparison.Ordinal);
        Assert.Equal(101, acknowledged);
        Assert.Equal(101, await other.GetAsync(name, Cancel));
        Assert.Equal(1, faulty.Writes);
    }

    [Fact]
    public async Task Set_GatewayTimeoutAfterTheWriteLanded_SucceedsWithoutRepeating()
    {
        var (store, faulty, other) = Arrange();
        var name = NewName();
        faulty.AfterWrite = attempt =>
            attempt == 1 ? throw new RequestFailedException(504, "Gateway timeout after the write.") : Task.CompletedTask;

        await new CounterService(store).SetAsync(name, 100, Cancel);

        Assert.Equal(100, await other.GetAsync(name, Cancel));
        Assert.Equal(1, faulty.Writes);
    }

    [Fact]
    public async Task Set_TimeoutBeforeTheWrite_ReportsUnavailableWithoutRepeating()
    {
        var (store, faulty, other) = Arrange();
        var name = NewName();
        faulty.BeforeWrite = _ => throw new TaskCanceledException("Timed out; the write may still be in flight.");

        await Assert.ThrowsAsync<CounterStoreUnavailableException>(
            () => new CounterService(store).SetAsync(name, 100, Cancel).AsTask());

        Assert.Equal(0, await other.GetAsync(name, Cancel));
        Assert.Equal(1, faulty.Writes);
    }

    [Theory]
    [InlineData(429, null)]
    [InlineData(503, "ServerBusy")]
    public async Task Set_ThrottledBeforeTheWrite_IsRetried(int status, string? errorCode)
    {
        var (store, faulty, other) = Arrange();
        var name = NewName();
        faulty.BeforeWrite = attempt =>
            attempt <= 2 ? throw new RequestFailedException(status, "Throttled.", errorCode, null) : Task.CompletedTask;

        await new CounterService(store).SetAsync(name, 7, Cancel);

        Assert.Equal(7, await other.GetAsync(name, Cancel));
        Assert.Equal(3, faulty.Writes);
    }

    [Fact]
    public async Task Delete_AnswerLostAfterAnotherClientIncremented_ReportsUnavailableAndKeepsTheIncrement()
    {
        var (store, faulty, other) = Arrange();
        var name = NewName();
        await other.SetAsync(name, 50, Cancel);
        long acknowledged = 0;
        faulty.AfterWrite = async attempt =>
        {
            if (attempt == 1)
            {
                acknowledged = (await other.IncrementAsync(name, 1, null, Cancel)).Value;
                throw LostResponse();
            }
        };

        await Assert.ThrowsAsync<CounterStoreUnavailableException>(
            () => new CounterService(store).DeleteAsync(name, Cancel).AsTask());

        Assert.Equal(1, acknowledged);
        Assert.Equal(1, await other.GetAsync(name, Cancel));
        Assert.Equal(1, faulty.Writes);
    }

    [Fact]
    public async Task Delete_ServerBusyBeforeTheWrite_IsRetried()
    {
        var (store, faulty, other) = Arrange();
        var name = NewName();
        await other.SetAsync(name, 50, Cancel);
        faulty.BeforeWrite = attempt =>
            attempt == 1 ? throw new RequestFailedException(503, "Server busy.", "ServerBusy", null) : Task.CompletedTask;

        await new CounterService(store).DeleteAsync(name, Cancel);

        Assert.Equal(0, await other.GetAsync(name, Cancel));
        Assert.Equal(2, faulty.Writes);
    }

    [Fact]
    public async Task Increment_CreatedCounterIncrementedAndDeletedBeforeTheRetry_ReportsUnavailableRatherThanApplyTwice()
    {
        var (store, faulty, other) = Arrange();
        var name = NewName();
        long seenByOther = 0;
        faulty.AfterWrite = async attempt =>
        {
            if (attempt == 1)
            {
                seenByOther = (await other.IncrementAsync(name, 100, null, Cancel)).Value;
                await other.DeleteAsync(name, Cancel);
                throw LostResponse();
            }
        };

        var error = await Assert.ThrowsAsync<CounterStoreUnavailableException>(
            () => new CounterService(store).IncrementAsync(name, 1, null, Cancel).AsTask());

        Assert.Contains("idempotency key", error.Message, StringComparison.Ordinal);
        Assert.Equal(101, seenByOther);
        Assert.Equal(0, await other.GetAsync(name, Cancel));
        Assert.Equal(1, faulty.Writes);
    }

    [Fact]
    public async Task Increment_AnswerLostAfterCreatingTheCounter_ReturnsAppliedOnce()
    {
        var (store, faulty, other) = Arrange();
        var name = NewName();
        faulty.AfterWrite = attempt => attempt == 1 ? throw LostResponse() : Task.CompletedTask;

        Assert.Equal(new IncrementResult(1, false), await new CounterService(store).IncrementAsync(name, 1, null, Cancel));

        Assert.Equal(1, await other.GetAsync(name, Cancel));
        Assert.Equal(1, faulty.Writes);
    }

    [Fact]
    public async Task Increment_TimeoutBeforeCreatingTheCounter_ReportsUnavailableSinceADeleteWouldLookTheSame()
    {
        // Known limit: the write did not land here, but a missing counter cannot show that; a retry could apply twice.
        var (store, faulty, other) = Arrange();
        var name = NewName();
        faulty.BeforeWrite = attempt => attempt == 1 ? throw LostResponse() : Task.CompletedTask;

        await Assert.ThrowsAsync<CounterStoreUnavailableException>(
            () => new CounterService(store).IncrementAsync(name, 1, null, Cancel).AsTask());

        Assert.Equal(0, await other.GetAsync(name, Cancel));
        Assert.Equal(1, faulty.Writes);
    }

    [Fact]
    public async Task Increment_503WithoutServerBusyAfterOthersWrote_ReportsUnavailableRatherThanApplyTwice()
    {
        var (store, faulty, other) = Arrange();
        var name = NewName();
        await other.SetAsync(name, 10, Cancel);
        faulty.AfterWrite = async attempt =>
        {
            if (attempt == 1)
            {
                await other.IncrementAsync(name, 100, null, Cancel);
                throw new RequestFailedException(503, "Service unavailable.");
            }
        };

        await Assert.ThrowsAsync<CounterStoreUnavailableException>(
            () => new CounterService(store).IncrementAsync(name, 1, null, Cancel).AsTask());

        Assert.Equal(111, await other.GetAsync(name, Cancel));
        Assert.Equal(1, faulty.Writes);
    }
}
