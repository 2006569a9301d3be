namespace Counter;

/// <summary>What happened to an increment.</summary>
public enum IncrementStatus
{
    /// <summary>The delta was added; the value is the one right after it.</summary>
    Applied,

    /// <summary>The idempotency key was seen before; the value is what the first call returned.</summary>
    Replayed,

    /// <summary>The result would have left the caller's bounds; the value is the unchanged current one.</summary>
    OutOfBounds,

    /// <summary>The result would have left the Int64 range; the value is the unchanged current one.</summary>
    Overflow,
}

/// <summary>A store's answer to an increment: its status and the value that goes with it.</summary>
/// <param name="Status">What happened.</param>
/// <param name="Value">The new value, the replayed value, or the unchanged current value; see <see cref="IncrementStatus"/>.</param>
public readonly record struct IncrementOutcome(IncrementStatus Status, long Value)
{
    /// <summary>The delta was added and <paramref name="newValue"/> is the result.</summary>
    public static IncrementOutcome Applied(long newValue) => new(IncrementStatus.Applied, newValue);

    /// <summary>The key was seen before and <paramref name="firstValue"/> is what the first call returned.</summary>
    public static IncrementOutcome Replayed(long firstValue) => new(IncrementStatus.Replayed, firstValue);

    /// <summary>The bounds refused the increment; <paramref name="current"/> is the unchanged value.</summary>
    public static IncrementOutcome OutOfBounds(long current) => new(IncrementStatus.OutOfBounds, current);

    /// <summary>The Int64 range refused the increment; <paramref name="current"/> is the unchanged value.</summary>
    public static IncrementOutcome Overflow(long current) => new(IncrementStatus.Overflow, current);
}
