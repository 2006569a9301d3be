namespace Counter;

/// <summary>Settings for <see cref="CounterService"/>.</summary>
public sealed class CounterServiceOptions
{
    /// <summary>The longest retention accepted: ten years, far inside what every store's timestamps can hold.</summary>
    public static readonly TimeSpan MaxIdempotencyRetention = TimeSpan.FromDays(3650);

    /// <summary>Gets or sets how long an idempotency key is remembered after its first use.</summary>
    /// <value>24 hours by default; from one second to <see cref="MaxIdempotencyRetention"/>.</value>
    public TimeSpan IdempotencyRetention { get; set; } = TimeSpan.FromHours(24);
}

/// <summary>Optional conditions on one increment.</summary>
public sealed record IncrementOptions
{
    /// <summary>Gets the smallest value the counter may reach; the increment is refused below it.</summary>
    public long? Min { get; init; }

    /// <summary>Gets the largest value the counter may reach; the increment is refused above it.</summary>
    public long? Max { get; init; }

    /// <summary>Gets a key that makes the increment apply at most once within the retention window.</summary>
    public string? IdempotencyKey { get; init; }
}

/// <summary>The result of an applied (or replayed) increment.</summary>
/// <param name="Value">The counter's value right after the increment, or for a replay, what the first call returned.</param>
/// <param name="Replayed">Whether this call repeated an idempotency key and changed nothing.</param>
public readonly record struct IncrementResult(long Value, bool Replayed);
