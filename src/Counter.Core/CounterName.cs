using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace Counter;

/// <summary>A validated counter name: NFC-normalised Unicode, 1 to 256 UTF-8 bytes, no control characters.</summary>
/// <remarks>
/// Names are case-sensitive and otherwise unrestricted, so <c>/</c>, <c>#</c>, <c>..</c> and emoji are all valid.
/// Stores that cannot hold such text in a key use <see cref="StorageKey"/>, a reversible ASCII encoding.
/// </remarks>
public sealed class CounterName : IEquatable<CounterName>
{
    /// <summary>The largest name, in UTF-8 bytes after normalisation.</summary>
    public const int MaxUtf8Bytes = 256;

    private string? storageKey;

    private CounterName(string value, int utf8Length)
    {
        Value = value;
        Utf8Length = utf8Length;
    }

    /// <summary>Gets the normalised name.</summary>
    public string Value { get; }

    /// <summary>Gets the length of <see cref="Value"/> in UTF-8 bytes.</summary>
    public int Utf8Length { get; }

    /// <summary>Gets the name as a key that any supported database accepts; see <see cref="CounterStorageKey"/>.</summary>
    public string StorageKey => storageKey ??= CounterStorageKey.Encode(this);

    /// <summary>Validates and normalises a name.</summary>
    /// <exception cref="InvalidCounterNameException">The name is empty, too long, or holds a control character.</exception>
    public static CounterName Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);

        if (!TryParse(name, out var parsed, out var reason))
        {
            throw new InvalidCounterNameException(name, reason);
        }

        return parsed;
    }

    /// <summary>Validates and normalises a name without throwing.</summary>
    /// <returns><see langword="true"/> when <paramref name="name"/> is valid.</returns>
    public static bool TryParse(string? name, [NotNullWhen(true)] out CounterName? result) =>
        TryParse(name, out result, out _);

    internal static bool TryParse(string? name, [NotNullWhen(true)] out CounterName? result, out string reason)
    {
        result = null;
        if (string.IsNullOrEmpty(name))
        {
            reason = "A counter name must not be empty.";
            return false;
        }

        // Cheap checks first: most names are short ASCII that is already normalised.
        foreach (var c in name)
        {
            if (char.IsControl(c))
            {
                reason = $"A counter name must not contain control characters (found U+{(int)c:X4}).";
                return false;
            }
        }

        string normalised;
        try
        {
            normalised = name.IsNormalized(NormalizationForm.FormC) ? name : name.Normalize(NormalizationForm.FormC);
        }
        catch (ArgumentException)
        {
            reason = "A counter name must be valid Unicode (it holds an unpaired surrogate).";
            return false;
        }

        int utf8Length;
        try
        {
            utf8Length = StrictUtf8.GetByteCount(normalised);
        }
        catch (EncoderFallbackException)
        {
            reason = "A counter name must be valid Unicode (it holds an unpaired surrogate).";
            return false;
        }

        if (utf8Length > MaxUtf8Bytes)
        {
            reason = string.Create(
                CultureInfo.InvariantCulture,
                $"A counter name must be at most {MaxUtf8Bytes} UTF-8 bytes after NFC normalisation; this one is {utf8Length}.");
            return false;
        }

        reason = string.Empty;
        result = new CounterName(normalised, utf8Length);
        return true;
    }

    internal static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <inheritdoc/>
    public bool Equals(CounterName? other) => other is not null && string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as CounterName);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    /// <inheritdoc/>
    public override string ToString() => Value;
}
