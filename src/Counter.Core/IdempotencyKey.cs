namespace Counter;

/// <summary>Rules for idempotency keys: 1 to 255 printable ASCII characters, like the keys HTTP clients generate.</summary>
public static class IdempotencyKey
{
    /// <summary>The longest key accepted.</summary>
    public const int MaxLength = 255;

    /// <summary>Checks a key against the rules.</summary>
    /// <exception cref="InvalidIdempotencyKeyException">The key is empty, too long or not printable ASCII.</exception>
    public static void Validate(string key)
    {
        ArgumentNullException.ThrowIfNull(key);

        if (key.Length is 0 or > MaxLength)
        {
            throw new InvalidIdempotencyKeyException($"An idempotency key must be 1 to {MaxLength} characters long.");
        }

        foreach (var c in key)
        {
            if (c is < '!' or > '~')
            {
                throw new InvalidIdempotencyKeyException(
                    "An idempotency key must be printable ASCII (U+0021 to U+007E); a UUID is a good choice.");
            }
        }
    }
}
