namespace Counter;

/// <summary>A validated increment, as <see cref="CounterService"/> hands it to a store.</summary>
/// <remarks>
/// The service has already checked the name, the delta, the bounds and the idempotency key. A store only has
/// to apply the delta atomically when <see cref="Accepts"/> holds for the current value, which folds both the
/// caller's bounds and the Int64 range into one closed interval of acceptable current values:
/// [<see cref="LowestAcceptedCurrent"/>, <see cref="HighestAcceptedCurrent"/>]. That interval maps directly
/// onto a condition expression or a SQL <c>WHERE</c> clause.
/// </remarks>
public readonly struct IncrementRequest
{
    /// <summary>Initializes a new instance of the <see cref="IncrementRequest"/> struct.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delta"/> is 0.</exception>
    /// <exception cref="ArgumentException"><paramref name="min"/> is greater than <paramref name="max"/>.</exception>
    public IncrementRequest(
        CounterName name,
        long delta,
        long? min = null,
        long? max = null,
        string? idempotencyKey = null,
        DateTimeOffset now = default,
        DateTimeOffset idempotencyExpiresAt = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentOutOfRangeException.ThrowIfZero(delta);
        if (min > max)
        {
            throw new ArgumentException($"The lower bound ({min}) is greater than the upper bound ({max}).", nameof(min));
        }

        Name = name;
        Delta = delta;
        Min = min;
        Max = max;
        IdempotencyKey = idempotencyKey;
        Now = now;
        IdempotencyExpiresAt = idempotencyExpiresAt;

        // current + delta must land in [min, max] and in Int64; Int128 keeps the arithmetic exact.
        var lowest = (Int128)(min ?? long.MinValue) - delta;
        var highest = (Int128)(max ?? long.MaxValue) - delta;
        LowestAcceptedCurrent = (long)Int128.Max(lowest, long.MinValue);
        HighestAcceptedCurrent = (long)Int128.Min(highest, long.MaxValue);
        if (lowest > long.MaxValue || highest < long.MinValue)
        {
            // No current value is acceptable: an empty interval.
            LowestAcceptedCurrent = long.MaxValue;
            HighestAcceptedCurrent = long.MinValue;
        }
    }

    /// <summary>Gets the counter to change.</summary>
    public CounterName Name { get; }

    /// <summary>Gets the amount to add; never 0, negative to decrement.</summary>
    public long Delta { get; }

    /// <summary>Gets the caller's lower bound for the result, if any.</summary>
    public long? Min { get; }

    /// <summary>Gets the caller's upper bound for the result, if any.</summary>
    public long? Max { get; }

    /// <summary>Gets the smallest current value to which the delta may be applied.</summary>
    public long LowestAcceptedCurrent { get; }

    /// <summary>Gets the largest current value to which the delta may be applied.</summary>
    public long HighestAcceptedCurrent { get; }

    /// <summary>Gets the idempotency key, or <see langword="null"/> for a plain increment.</summary>
    public string? IdempotencyKey { get; }

    /// <summary>Gets the service's clock at the time of the request; records expiring at or before it are gone.</summary>
    public DateTimeOffset Now { get; }

    /// <summary>Gets when an idempotency record written by this request expires.</summary>
    public DateTimeOffset IdempotencyExpiresAt { get; }

    /// <summary>Gets a value indicating whether a missing counter (value 0) may be incremented.</summary>
    public bool AcceptsMissingCounter => Accepts(0);

    /// <summary>Tells whether the delta may be applied to a counter whose value is <paramref name="current"/>.</summary>
    public bool Accepts(long current) => current >= LowestAcceptedCurrent && current <= HighestAcceptedCurrent;

    /// <summary>Builds the outcome of applying the delta to <paramref name="current"/>; call only when it is accepted.</summary>
    public IncrementOutcome Applied(long current) => IncrementOutcome.Applied(current + Delta);

    /// <summary>Builds the outcome for a refused increment, telling overflow from the caller's bounds.</summary>
    public IncrementOutcome Refused(long current)
    {
        var result = (Int128)current + Delta;
        var overflows = result > long.MaxValue || result < long.MinValue;
        return overflows ? IncrementOutcome.Overflow(current) : IncrementOutcome.OutOfBounds(current);
    }

    /// <summary>Applies the delta to <paramref name="current"/> when accepted, or refuses it.</summary>
    public IncrementOutcome Decide(long current) => Accepts(current) ? Applied(current) : Refused(current);
}
