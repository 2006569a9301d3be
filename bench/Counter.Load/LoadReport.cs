using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Counter.Load;

/// <summary>Latency percentiles of acknowledged increments, in milliseconds.</summary>
internal sealed record LatencySummary(double P50, double P95, double P99, double Max);

/// <summary>The outcome of one load run: speed, errors, and whether every increment was counted exactly once.</summary>
internal sealed record LoadReport
{
    public required string Mode { get; init; }

    public required string Target { get; init; }

    public required int Concurrency { get; init; }

    public required int Counters { get; init; }

    public required double MeasuredSeconds { get; init; }

    /// <summary>Gets the acknowledged increments of the whole run, warm-up included.</summary>
    public required long Acknowledged { get; init; }

    public required long MeasuredAcknowledged { get; init; }

    public required double ThroughputPerSecond { get; init; }

    public required LatencySummary LatencyMs { get; init; }

    public required IReadOnlyDictionary<string, long> Errors { get; init; }

    /// <summary>Gets the failed increments whose outcome is unknown: each may or may not have been applied.</summary>
    public required long Uncertain { get; init; }

    /// <summary>Gets how far the counters moved: the sum of final minus start values.</summary>
    public required long Applied { get; init; }

    /// <summary>Gets the acknowledged increments the counters do not show.</summary>
    public required long Lost { get; init; }

    /// <summary>Gets how far the counters moved beyond every acknowledged and uncertain increment.</summary>
    public required long Extra { get; init; }

    /// <summary>Gets how many returned values were returned more than once for the same counter.</summary>
    public required long DuplicateValues { get; init; }

    public bool Exact => Lost == 0 && Extra == 0 && DuplicateValues == 0;

    public static LoadReport Build(
        LoadOptions options, string target, IReadOnlyList<Worker> workers, long[] start, long[] final, double measuredSeconds)
    {
        var latencies = workers.SelectMany(w => w.Latencies).ToArray();
        Array.Sort(latencies);

        var errors = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var (kind, count) in workers.SelectMany(w => w.Errors))
        {
            errors[kind] = errors.GetValueOrDefault(kind) + count;
        }

        var acknowledged = workers.Sum(w => w.AcknowledgedCount);
        var uncertain = workers.Sum(w => w.Uncertain);
        var applied = final.Zip(start, (f, s) => f - s).Sum();
        var measured = workers.Sum(w => w.MeasuredAcknowledged);

        return new LoadReport
        {
            Mode = options.Mode == CountingMode.Naive ? "naive" : "atomic",
            Target = target,
            Concurrency = options.Concurrency,
            Counters = options.Counters,
            MeasuredSeconds = measuredSeconds,
            Acknowledged = acknowledged,
            MeasuredAcknowledged = measured,
            ThroughputPerSecond = measured / measuredSeconds,
            LatencyMs = new LatencySummary(
                Percentile(latencies, 0.50), Percentile(latencies, 0.95), Percentile(latencies, 0.99), Percentile(latencies, 1.0)),
            Errors = errors,
            Uncertain = uncertain,
            Applied = applied,
            Lost = Math.Max(0, acknowledged - applied),
            Extra = Math.Max(0, applied - acknowledged - uncertain),
            DuplicateValues = CountDuplicates(workers, start.Length),
        };
    }

    /// <summary>Writes the report for a person to read.</summary>
    public string ToText()
    {
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        var counters = Counters == 1 ? "one counter" : $"{Counters:N0} counters";
        text.AppendLine(c, $"counter-load: {Mode} increments on {counters} via {Target}, concurrency {Concurrency}");
        text.AppendLine(c, $"  measured    {MeasuredSeconds:F1} s: {MeasuredAcknowledged:N0} acknowledged increments ({Acknowledged - MeasuredAcknowledged:N0} more in warm-up)");
        text.AppendLine(c, $"  throughput  {ThroughputPerSecond:N0} increments/s");
        text.AppendLine(c, $"  latency     p50 {Ms(LatencyMs.P50)}   p95 {Ms(LatencyMs.P95)}   p99 {Ms(LatencyMs.P99)}   max {Ms(LatencyMs.Max)}");
        text.AppendLine(Errors.Count == 0
            ? "  errors      none"
            : "  errors      " + string.Join("; ", Errors.Select(e => string.Create(c, $"{e.Key}: {e.Value:N0}"))) +
              string.Create(c, $" ({Uncertain:N0} of them may have applied)"));
        text.Append(c, $"  exactness   the counters moved by {Applied:N0} for {Acknowledged:N0} acknowledged increments");
        text.AppendLine(Uncertain > 0 ? string.Create(c, $" and {Uncertain:N0} uncertain ones") : string.Empty);
        text.AppendLine(Exact
            ? "              every acknowledged increment counted exactly once, every returned value distinct: EXACT"
            : string.Create(c, $"              NOT EXACT: {Lost:N0} acknowledged increments lost, {Extra:N0} applied twice or unasked, {DuplicateValues:N0} values returned twice"));
        return text.ToString();
    }

    private static string Ms(double milliseconds) => milliseconds < 1
        ? string.Create(CultureInfo.InvariantCulture, $"{milliseconds * 1000:F1} µs")
        : string.Create(CultureInfo.InvariantCulture, $"{milliseconds:F2} ms");

    private static double Percentile(long[] sortedTicks, double fraction)
    {
        if (sortedTicks.Length == 0)
        {
            return 0;
        }

        var index = (int)Math.Ceiling(fraction * sortedTicks.Length) - 1;
        return sortedTicks[Math.Clamp(index, 0, sortedTicks.Length - 1)] * 1000.0 / Stopwatch.Frequency;
    }

    private static long CountDuplicates(IReadOnlyList<Worker> workers, int counters)
    {
        var duplicates = 0L;
        for (var counter = 0; counter < counters; counter++)
        {
            var values = workers.SelectMany(w => w.Values[counter]).ToArray();
            Array.Sort(values);
            for (var i = 1; i < values.Length; i++)
            {
                if (values[i] == values[i - 1])
                {
                    duplicates++;
                }
            }
        }

        return duplicates;
    }
}
