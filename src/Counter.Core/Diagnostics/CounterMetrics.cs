using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Counter.Diagnostics;

/// <summary>The instruments Core publishes under the meter <see cref="MeterName"/>.</summary>
public sealed class CounterMetrics
{
    /// <summary>The name of the meter Core and the stores publish on.</summary>
    public const string MeterName = "Counter";

    private static readonly Lazy<CounterMetrics> Shared = new(() => new CounterMetrics(new Meter(MeterName)));

    private readonly Counter<long> increments;
    private readonly Histogram<double> incrementDuration;
    private readonly Counter<long> storeRetries;

    private CounterMetrics(Meter meter)
    {
        increments = meter.CreateCounter<long>(
            "counter.increments", unit: "{increment}", description: "Increments handled, by outcome.");
        incrementDuration = meter.CreateHistogram<double>(
            "counter.increment.duration", unit: "s", description: "Time the store took to answer an increment.");
        storeRetries = meter.CreateCounter<long>(
            "counter.store.retries", unit: "{retry}", description: "Store calls retried after contention or a transient error.");
    }

    /// <summary>Gets the instruments for a meter factory, or the process-wide ones when it is <see langword="null"/>.</summary>
    public static CounterMetrics For(IMeterFactory? meterFactory) =>
        meterFactory is null ? Shared.Value : new CounterMetrics(meterFactory.Create(MeterName));

    /// <summary>Counts one retry by a store, tagged with the store and the reason.</summary>
    public void RecordStoreRetry(string store, string reason) =>
        storeRetries.Add(1, new KeyValuePair<string, object?>("counter.store", store), new KeyValuePair<string, object?>("counter.retry.reason", reason));

    internal void RecordIncrement(string outcome, long startedTimestamp)
    {
        var tag = new KeyValuePair<string, object?>("counter.outcome", outcome);
        increments.Add(1, tag);
        incrementDuration.Record(Stopwatch.GetElapsedTime(startedTimestamp).TotalSeconds, tag);
    }
}
