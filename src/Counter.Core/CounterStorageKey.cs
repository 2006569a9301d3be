using System.Buffers.Text;

namespace Counter;

/// <summary>The reversible mapping between a counter name and the key a store writes.</summary>
/// <remarks>
/// The key is the unpadded base64url form of the name's UTF-8 bytes: only <c>A-Z a-z 0-9 - _</c>, at most
/// 342 characters. Every cloud store accepts that: Azure Tables forbids <c>/ \ # ?</c> and control characters in
/// keys and caps them at 1 KiB; Firestore forbids <c>/</c>, the ids <c>.</c> and <c>..</c>, ids matching
/// <c>__.*__</c> and ids over 1,500 bytes. A key can never start with <c>_</c>, because a UTF-8 string never
/// starts with a byte of the form <c>111111xx</c>, so the Firestore reserved form cannot occur either.
/// Distinct names always give distinct keys, and the key is case-sensitive, as names are.
/// </remarks>
public static class CounterStorageKey
{
    /// <summary>The longest key <see cref="Encode"/> returns.</summary>
    public const int MaxLength = (CounterName.MaxUtf8Bytes * 4 + 2) / 3;

    /// <summary>Encodes a counter name as a storage key.</summary>
    public static string Encode(CounterName name)
    {
        ArgumentNullException.ThrowIfNull(name);

        Span<byte> utf8 = stackalloc byte[CounterName.MaxUtf8Bytes];
        var written = CounterName.StrictUtf8.GetBytes(name.Value, utf8);
        return Base64Url.EncodeToString(utf8[..written]);
    }

    /// <summary>Decodes a storage key back into the counter name it was made from.</summary>
    /// <exception cref="FormatException">The key was not made by <see cref="Encode"/>.</exception>
    public static CounterName Decode(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);

        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(key);
        }
        catch (FormatException ex)
        {
            throw new FormatException($"'{key}' is not a counter storage key.", ex);
        }

        string text;
        try
        {
            text = CounterName.StrictUtf8.GetString(bytes);
        }
        catch (ArgumentException ex)
        {
            throw new FormatException($"'{key}' is not a counter storage key: it does not decode to UTF-8.", ex);
        }

        if (!CounterName.TryParse(text, out var name, out var reason) || name.Value != text)
        {
            throw new FormatException($"'{key}' is not a counter storage key: {reason}");
        }

        return name;
    }
}
