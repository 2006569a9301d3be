namespace Counter;

/// <summary>Rules for idempotency keys: 1 to 255 printable ASCII characters other than a comma, like the keys HTTP clients generate.</summary>
/// <remarks>
/// No comma, because HTTP joins a repeated header's values with commas: two <c>Idempotency-Key</c> headers must be
/// refused, not merged into one key. No space either, as in the printable range U+0021 to U+007E.
/// </remarks>
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
            if (c is < '!' or > '~' or ',')
            {
                throw new InvalidIdempotencyKeyException(
                    "An idempotency key must be one value of printable ASCII (U+0021 to U+007E, no space or comma); a UUID is a good choice.");
            }
        }
    }
}
