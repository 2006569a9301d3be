using Microsoft.Extensions.DependencyInjection;

namespace Counter.Gcp.Tests;

public sealed class FirestoreServiceCollectionTests
{
    [Fact]
    public void AddFirestoreCounterStore_WithCounter_ResolvesOneStoreAsICounterStore()
    {
        var services = new ServiceCollection()
            .AddCounter()
            .AddFirestoreCounterStore(options => options.EmulatorHost = "127.0.0.1:1");

        using var provider = services.BuildServiceProvider();

        var store = Assert.IsType<FirestoreCounterStore>(provider.GetRequiredService<ICounterStore>());
        Assert.Same(store, provider.GetRequiredService<FirestoreCounterStore>());
        Assert.NotNull(provider.GetRequiredService<CounterService>());
    }
}
