using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Counter.Azure.Tests;

/// <summary>A meter factory whose meters only one test listens to, so parallel tests do not mix their measurements.</summary>
internal sealed class TestMeterFactory : IMeterFactory
{
    private readonly ConcurrentBag<Meter> meters = [];
    private readonly ConcurrentDictionary<string, long> retries = new(StringComparer.Ordinal);
    private readonly MeterListener listener = new();

    public TestMeterFactory()
    {
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == this && instrument.Name == "counter.store.retries")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            string? store = null;
            string? reason = null;
            foreach (var tag in tags)
            {
                store = tag.Key == "counter.store" ? tag.Value as string : store;
                reason = tag.Key == "counter.retry.reason" ? tag.Value as string : reason;
            }

            retries.AddOrUpdate($"{store}/{reason}", value, (_, total) => total + value);
        });
        listener.Start();
    }

    /// <summary>Gets the retries counted so far for a store tag and reason.</summary>
    public long Retries(string store, string reason) => retries.GetValueOrDefault($"{store}/{reason}");

    public Meter Create(MeterOptions options)
    {
        var meter = new Meter(options.Name, options.Version, options.Tags, scope: this);
        meters.Add(meter);
        return meter;
    }

    public void Dispose()
    {
        listener.Dispose();
        foreach (var meter in meters)
        {
            meter.Dispose();
        }
    }
}
