using System.Collections.Concurrent;

namespace Counter.Stores;

/// <summary>A store that keeps counters in process memory: the reference implementation, and a fast store for tests.</summary>
/// <remarks>
/// Each counter has its own lock, so increments of different counters never wait on each other. A deleted
/// counter keeps its (empty) slot: removing it could let a concurrent increment write to a detached slot and
/// be lost. Idempotency records expire lazily, when their counter is next touched.
/// </remarks>
public sealed class InMemoryCounterStore : ICounterStore
{
    private readonly ConcurrentDictionary<string, Slot> slots = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public ValueTask<IncrementOutcome> IncrementAsync(IncrementRequest request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();

        var slot = slots.GetOrAdd(request.Name.Value, static _ => new Slot());
        lock (slot)
        {
            if (request.IdempotencyKey is { } key && slot.TryGetRecord(key, request.Now, out var firstValue))
            {
                return ValueTask.FromResult(IncrementOutcome.Replayed(firstValue));
            }

            var outcome = request.Decide(slot.Value);
            if (outcome.Status == IncrementStatus.Applied)
            {
                slot.Value = outcome.Value;
                if (request.IdempotencyKey is { } newKey)
                {
                    slot.Remember(newKey, outcome.Value, request.IdempotencyExpiresAt, request.Now);
                }
            }

            return ValueTask.FromResult(outcome);
        }
    }

    /// <inheritdoc/>
    public ValueTask<long> GetAsync(CounterName name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        cancellationToken.ThrowIfCancellationRequested();

        if (!slots.TryGetValue(name.Value, out var slot))
        {
            return ValueTask.FromResult(0L);
        }

        lock (slot)
        {
            return ValueTask.FromResult(slot.Value);
        }
    }

    /// <inheritdoc/>
    public ValueTask SetAsync(CounterName name, long value, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        cancellationToken.ThrowIfCancellationRequested();

        var slot = slots.GetOrAdd(name.Value, static _ => new Slot());
        lock (slot)
        {
            slot.Value = value;
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask DeleteAsync(CounterName name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        cancellationToken.ThrowIfCancellationRequested();

        if (slots.TryGetValue(name.Value, out var slot))
        {
            lock (slot)
            {
                slot.Value = 0;
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask CheckHealthAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    private sealed class Slot
    {
        private Dictionary<string, (long Value, DateTimeOffset ExpiresAt)>? records;

        public long Value { get; set; }

        public bool TryGetRecord(string key, DateTimeOffset now, out long value)
        {
            value = 0;
            if (records is null || !records.TryGetValue(key, out var record))
            {
                return false;
            }

            if (record.ExpiresAt <= now)
            {
                records.Remove(key);
                return false;
            }

            value = record.Value;
            return true;
        }

        public void Remember(string key, long value, DateTimeOffset expiresAt, DateTimeOffset now)
        {
            records ??= new Dictionary<string, (long, DateTimeOffset)>(StringComparer.Ordinal);
            if (records.Count >= 64)
            {
                // Keep a hot counter's records from growing without limit: drop the expired ones.
                foreach (var (oldKey, old) in records)
                {
                    if (old.ExpiresAt <= now)
                    {
                        records.Remove(oldKey);
                    }
                }
            }

            records[key] = (value, expiresAt);
        }
    }
}
