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
