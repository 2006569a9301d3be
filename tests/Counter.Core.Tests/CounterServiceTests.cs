using System.Diagnostics.Metrics;
using Counter.Diagnostics;
using Counter.Http;
using Counter.Stores;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Counter.Core.Tests;

public sealed class CounterServiceTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public void Constructor_RetentionUnderOneSecond_Throws()
    {
        var options = Options.Create(new CounterServiceOptions { IdempotencyRetention = TimeSpan.FromMilliseconds(10) });

        Assert.Throws<ArgumentOutOfRangeException>(() => new CounterService(new InMemoryCounterStore(), options));
    }

    [Fact]
    public void Constructor_RetentionOverTenYears_Throws()
    {
        var options = Options.Create(new CounterServiceOptions { IdempotencyRetention = TimeSpan.FromDays(3651) });

        Assert.Throws<ArgumentOutOfRangeException>(() => new CounterService(new InMemoryCounterStore(), options));
    }

    [Fact]
    public async Task Increment_ZeroDelta_ThrowsBeforeTouchingStore()
    {
        var service = new CounterService(new InMemoryCounterStore());

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => service.IncrementAsync("n", 0, null, Cancel).AsTask());
        await Assert.ThrowsAsync<ArgumentException>(
            () => service.IncrementAsync("n", 1, new IncrementOptions { Min = 2, Max = 1 }, Cancel).AsTask());
        Assert.Equal(0, await service.GetAsync("n", Cancel));
    }

    [Fact]
    public async Task Increment_Outcomes_AreCountedByMetrics()
    {
        var store = new InMemoryCounterStore();
        var service = new CounterService(store);
        var outcomes = new List<string>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == CounterMetrics.MeterName && instrument.Name == "counter.increments")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            lock (outcomes)
            {
                outcomes.Add((string)tags.ToArray().Single(t => t.Key == "counter.outcome").Value!);
            }
        });
        listener.Start();
        var name = $"m-{Guid.NewGuid():N}";

        await service.IncrementAsync(name, 1, new IncrementOptions { IdempotencyKey = "k", Max = 1 }, Cancel);
        await service.IncrementAsync(name, 1, new IncrementOptions { IdempotencyKey = "k", Max = 1 }, Cancel);
        await Assert.ThrowsAsync<CounterOutOfBoundsException>(() => service.IncrementAsync(name, 1, new IncrementOptions { Max = 1 }, Cancel).AsTask());

        lock (outcomes)
        {
            Assert.Contains("applied", outcomes);
            Assert.Contains("replayed", outcomes);
            Assert.Contains("out_of_bounds", outcomes);
        }
    }

    [Fact]
    public async Task AddCounter_WithInMemoryStore_ResolvesWorkingHandler()
    {
        await using var provider = new ServiceCollection().AddCounter().AddInMemoryCounterStore().BuildServiceProvider();

        var handler = provider.GetRequiredService<CounterHttpHandler>();
        var response = await handler.HandleAsync(new CounterHttpRequest { Method = "POST", RawPath = "/counters/di" }, Cancel);

        Assert.Equal(200, response.StatusCode);
    }
}
