namespace Counter.Aws.Tests;

/// <summary>Pins what the store does on dynalite where dynalite lacks an operation: a clean store error, nothing changed.</summary>
public sealed class DynaliteLimitTests(DynaliteFixture fixture) : IClassFixture<DynaliteFixture>
{
    [Fact]
    public async Task IdempotentIncrement_NoTransactions_ThrowsStoreUnavailableAndChangesNothing()
    {
        var service = new CounterService(fixture.Store);
        var name = $"t-{Guid.NewGuid():N}";
        await service.IncrementAsync(name, 3, null, TestContext.Current.CancellationToken);

        var error = await Assert.ThrowsAsync<CounterStoreUnavailableException>(() => service.IncrementAsync(
            name, 1, new IncrementOptions { IdempotencyKey = "k" }, TestContext.Current.CancellationToken).AsTask());

        Assert.Contains("idempotent increment", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, await service.GetAsync(name, TestContext.Current.CancellationToken));
    }
}
