using System.Globalization;

namespace Counter;

/// <summary>A counter name broke the naming rules; nothing was changed.</summary>
public sealed class InvalidCounterNameException : ArgumentException
{
    /// <summary>Initializes a new instance of the <see cref="InvalidCounterNameException"/> class.</summary>
    public InvalidCounterNameException(string? name, string reason)
        : base(reason, nameof(name))
    {
        RejectedName = name;
        Reason = reason;
    }

    /// <summary>Gets the name as it was given.</summary>
    public string? RejectedName { get; }

    /// <summary>Gets which rule the name broke, in words a person can act on.</summary>
    public string Reason { get; }
}

/// <summary>An idempotency key was empty, too long, or not printable ASCII; nothing was changed.</summary>
public sealed class InvalidIdempotencyKeyException(string reason) : ArgumentException(reason, "idempotencyKey");

/// <summary>The increment would take the counter outside the signed 64-bit range; the value is unchanged.</summary>
public sealed class CounterOverflowException(string name, long currentValue, long delta)
    : InvalidOperationException(string.Create(
        CultureInfo.InvariantCulture,
        $"Adding {delta} to counter '{name}' (now {currentValue}) would leave the signed 64-bit range; nothing was changed."))
{
    /// <summary>Gets the counter's name.</summary>
    public string CounterName { get; } = name;

    /// <summary>Gets the counter's value, which the refused increment left as it was.</summary>
    public long CurrentValue { get; } = currentValue;

    /// <summary>Gets the refused delta.</summary>
    public long Delta { get; } = delta;
}

/// <summary>The increment would take the counter outside the bounds the caller gave; the value is unchanged.</summary>
public sealed class CounterOutOfBoundsException(string name, long currentValue, long delta, long? min, long? max)
    : InvalidOperationException(string.Create(
        CultureInfo.InvariantCulture,
        $"Adding {delta} to counter '{name}' (now {currentValue}) would leave [{min?.ToString(CultureInfo.InvariantCulture) ?? "-inf"}, {max?.ToString(CultureInfo.InvariantCulture) ?? "+inf"}]; nothing was changed."))
{
    /// <summary>Gets the counter's name.</summary>
    public string CounterName { get; } = name;

    /// <summary>Gets the counter's value, which the refused increment left as it was.</summary>
    public long CurrentValue { get; } = currentValue;

    /// <summary>Gets the refused delta.</summary>
    public long Delta { get; } = delta;

    /// <summary>Gets the lower bound the caller asked for, if any.</summary>
    public long? Min { get; } = min;

    /// <summary>Gets the upper bound the caller asked for, if any.</summary>
    public long? Max { get; } = max;
}

/// <summary>The store could not be reached or kept failing after retries; the operation may be retried later.</summary>
/// <remarks>
/// For an increment this means the outcome is unknown to the caller: retry it with the same idempotency key
/// to make sure it is applied exactly once.
/// </remarks>
public sealed class CounterStoreUnavailableException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="CounterStoreUnavailableException"/> class.</summary>
    public CounterStoreUnavailableException(string message, Exception? innerException = null, TimeSpan? retryAfter = null)
        : base(message, innerException)
    {
        RetryAfter = retryAfter ?? TimeSpan.FromSeconds(1);
    }

    /// <summary>Gets how long the caller should wait before trying again.</summary>
    public TimeSpan RetryAfter { get; }
}
