using System.Diagnostics;
using System.Globalization;
using Counter.Load.Targets;

namespace Counter.Load;

/// <summary>Runs the workers for the warm-up and the measured time, shows progress, and gathers what they saw.</summary>
internal sealed class LoadRunner(LoadOptions options, ILoadTarget target, TextWriter progress)
{
    /// <summary>Reads the start values, drives the load, reads the final values and builds the report.</summary>
    /// <exception cref="LoadErrorException">A start or final value could not be read.</exception>
    public async Task<LoadReport> RunAsync(CancellationToken cancellationToken)
    {
        var names = options.CounterNames;
        var start = await ReadAllAsync(names, cancellationToken);

        var now = Stopwatch.GetTimestamp();
        var measureFrom = now + (long)(options.Warmup.TotalSeconds * Stopwatch.Frequency);
        var stopAt = measureFrom + (long)(options.Duration.TotalSeconds * Stopwatch.Frequency);
        var shared = new SharedProgress();
        var workers = Enumerable.Range(0, options.Concurrency).Select(i => new Worker(i, names.Count)).ToArray();

        var running = workers.Select(w => Task.Run(() => WorkAsync(w, names, measureFrom, stopAt, shared, cancellationToken))).ToArray();
        await ShowProgressAsync(Task.WhenAll(running), now, shared);
        await Task.WhenAll(running);
        var measuredSeconds = Stopwatch.GetElapsedTime(measureFrom).TotalSeconds;

        var final = await ReadFinalAsync(names, cancellationToken);
        return LoadReport.Build(options, target.Description, workers, start, final, measuredSeconds);
    }

    private async Task WorkAsync(
        Worker worker, IReadOnlyList<string> names, long measureFrom, long stopAt, SharedProgress shared, CancellationToken cancellationToken)
    {
        var counter = worker.Index % names.Count;
        var iteration = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            if (++iteration % 1024 == 0)
            {
                // An in-process store completes synchronously; let the progress display and other workers run.
                await Task.Yield();
            }

            var began = Stopwatch.GetTimestamp();
            if (began >= stopAt)
            {
                return;
            }

            var measured = began >= measureFrom;
            try
            {
                var value = options.Mode == CountingMode.Naive
                    ? await target.NaiveIncrementAsync(names[counter], cancellationToken)
                    : await target.IncrementAsync(names[counter], cancellationToken);

                worker.Acknowledged(counter, value, measured ? Stopwatch.GetTimestamp() - began : -1);
                Interlocked.Increment(ref shared.Acknowledged);
            }
            catch (LoadErrorException ex)
            {
                worker.Failed(ex, measured);
                Interlocked.Increment(ref shared.Errors);

                // Keep a down target from turning the loop into a busy spin.
                await Task.Delay(10, CancellationToken.None);
            }

            counter = (counter + 1) % names.Count;
        }
    }

    private async Task ShowProgressAsync(Task done, long startedAt, SharedProgress shared)
    {
        var last = 0L;
        while (await Task.WhenAny(done, Task.Delay(TimeSpan.FromSeconds(1))) != done)
        {
            if (options.Quiet)
            {
                continue;
            }

            var acknowledged = Interlocked.Read(ref shared.Acknowledged);
            var line = string.Create(
                CultureInfo.InvariantCulture,
                $"[{Stopwatch.GetElapsedTime(startedAt).TotalSeconds,5:F1}s] {acknowledged,10:N0} acknowledged  " +
                $"{Interlocked.Read(ref shared.Errors),6:N0} errors  {acknowledged - last,8:N0}/s");
            last = acknowledged;
            await progress.WriteLineAsync(line);
        }
    }

    private async Task<long[]> ReadFinalAsync(IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        var giveUpAt = Stopwatch.GetTimestamp() + (long)(options.FinalWait.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            try
            {
                return await ReadAllAsync(names, cancellationToken);
            }
            catch (LoadErrorException) when (Stopwatch.GetTimestamp() < giveUpAt)
            {
                // The host is restarting (the crash check kills it on purpose): try again shortly.
                await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
            }
        }
    }

    private async Task<long[]> ReadAllAsync(IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        var values = new long[names.Count];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = cancellationToken };
        await Parallel.ForAsync(0, names.Count, parallel, async (i, ct) => values[i] = await target.ReadAsync(names[i], ct));
        return values;
    }

    /// <summary>Totals every worker updates, read by the progress display.</summary>
    private sealed class SharedProgress
    {
        public long Acknowledged;
        public long Errors;
    }
}

/// <summary>What one worker saw; only its own task writes to it until the run ends.</summary>
internal sealed class Worker(int index, int counters)
{
    public int Index { get; } = index;

    /// <summary>Gets every value an acknowledged increment returned, per counter.</summary>
    public List<long>[] Values { get; } = [.. Enumerable.Range(0, counters).Select(_ => new List<long>())];

    /// <summary>Gets the latency of each measured, acknowledged increment in stopwatch ticks.</summary>
    public List<long> Latencies { get; } = [];

    public Dictionary<string, long> Errors { get; } = new(StringComparer.Ordinal);

    public long AcknowledgedCount { get; private set; }

    public long MeasuredAcknowledged => Latencies.Count;

    public long MeasuredErrors { get; private set; }

    /// <summary>Gets the failed increments that may have been applied all the same (timeouts, 5xx, resets).</summary>
    public long Uncertain { get; private set; }

    public void Acknowledged(int counter, long value, long latencyTicks)
    {
        AcknowledgedCount++;
        Values[counter].Add(value);
        if (latencyTicks >= 0)
        {
            Latencies.Add(latencyTicks);
        }
    }

    public void Failed(LoadErrorException error, bool measured)
    {
        Errors[error.Kind] = Errors.GetValueOrDefault(error.Kind) + 1;
        if (error.MayHaveApplied)
        {
            Uncertain++;
        }

        if (measured)
        {
            MeasuredErrors++;
        }
    }
}
