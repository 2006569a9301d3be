using System.Buffers;
using System.Text;

namespace Counter.Http;

/// <summary>Splits a raw request path into a route and, for counter routes, the percent-decoded counter name.</summary>
internal static class CounterPath
{
    public const string CountersPrefix = "/counters/";

    // A 256-byte name is at most 768 characters percent-encoded; anything far longer is refused before decoding.
    private const int MaxRawNameLength = 4096;

    public static ReadOnlySpan<char> WithoutQuery(string rawPath)
    {
        var span = rawPath.AsSpan();
        var query = span.IndexOf('?');
        return query < 0 ? span : span[..query];
    }

    /// <summary>Decodes <c>%XX</c> escapes as UTF-8; anything else stays as it is. Fails on a bad escape or invalid UTF-8.</summary>
    public static bool TryDecode(ReadOnlySpan<char> raw, out string decoded, out string error)
    {
        decoded = string.Empty;
        if (raw.Length > MaxRawNameLength)
        {
            error = $"A counter name must be at most {CounterName.MaxUtf8Bytes} UTF-8 bytes; this path is far longer.";
            return false;
        }

        if (!raw.Contains('%'))
        {
            decoded = raw.ToString();
            error = string.Empty;
            return true;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(raw.Length * 3);
        try
        {
            var length = 0;
            while (!raw.IsEmpty)
            {
                var escape = raw.IndexOf('%');
                var plain = escape < 0 ? raw : raw[..escape];
                if (!plain.IsEmpty)
                {
                    length += CounterName.StrictUtf8.GetBytes(plain, buffer.AsSpan(length));
                }

                if (escape < 0)
                {
                    break;
                }

                if (escape + 2 >= raw.Length || !IsHex(raw[escape + 1]) || !IsHex(raw[escape + 2]))
                {
                    error = "The counter name has a '%' that does not start a %XX escape; send a literal '%' as %25.";
                    return false;
                }

                buffer[length++] = (byte)((HexValue(raw[escape + 1]) << 4) | HexValue(raw[escape + 2]));
                raw = raw[(escape + 3)..];
            }

            decoded = CounterName.StrictUtf8.GetString(buffer, 0, length);
            error = string.Empty;
            return true;
        }
        catch (Exception ex) when (ex is DecoderFallbackException or EncoderFallbackException)
        {
            error = "The counter name's %XX escapes must spell valid UTF-8.";
            return false;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
