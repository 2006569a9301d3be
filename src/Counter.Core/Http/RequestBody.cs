using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Counter.Http;

/// <summary>Reads an optional JSON request body, answering the size, media-type and shape errors.</summary>
internal static class RequestBody
{
    /// <summary>Reads the body into <typeparamref name="T"/>; an empty body gives <see langword="null"/>.</summary>
    public static bool TryRead<T>(
        CounterHttpRequest request,
        JsonTypeInfo<T> typeInfo,
        out T? body,
        [NotNullWhen(false)] out CounterHttpResponse? problem)
        where T : class
    {
        body = null;
        problem = null;

        var bytes = request.Body.Span;
        if (bytes.Length > CounterHttpHandler.MaxBodyBytes)
        {
            problem = CounterHttpHandler.Problem(
                413, Problems.BodyTooLarge, "Request body too large", $"The body must be at most {CounterHttpHandler.MaxBodyBytes} bytes.");
            return false;
        }

        if (bytes.Trim(" \t\r\n"u8).IsEmpty)
        {
            return true;
        }

        if (!IsJsonMediaType(request.ContentType))
        {
            problem = CounterHttpHandler.Problem(
                415,
                Problems.UnsupportedMediaType,
                "Unsupported media type",
                $"The body must be JSON sent with Content-Type: application/json (got {request.ContentType ?? "no Content-Type"}).");
            return false;
        }

        try
        {
            body = JsonSerializer.Deserialize(bytes, typeInfo);
            if (body is null)
            {
                problem = CounterHttpHandler.Problem(400, Problems.InvalidBody, "Invalid request body", "The body must be a JSON object, not null.");
                return false;
            }

            return true;
        }
        catch (JsonException ex)
        {
            problem = CounterHttpHandler.Problem(400, Problems.InvalidBody, "Invalid request body", Describe(ex));
            return false;
        }
    }

    private static bool IsJsonMediaType(string? contentType)
    {
        if (contentType is null)
        {
            return false;
        }

        var mediaType = contentType.AsSpan();
        var parameters = ReadOnlySpan<char>.Empty;
        var separator = mediaType.IndexOf(';');
        if (separator >= 0)
        {
            parameters = mediaType[(separator + 1)..];
            mediaType = mediaType[..separator];
        }

        // JSON is UTF-8 (RFC 8259): a body declared in another charset would be read wrong, so it is refused.
        var charset = parameters.IndexOf("charset=", StringComparison.OrdinalIgnoreCase);
        if (charset >= 0)
        {
            var value = parameters[(charset + "charset=".Length)..];
            var end = value.IndexOf(';');
            value = (end >= 0 ? value[..end] : value).Trim().Trim('"');
            if (!value.Equals("utf-8", StringComparison.OrdinalIgnoreCase) && !value.Equals("utf8", StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        mediaType = mediaType.Trim();
        var slash = mediaType.IndexOf('/');
        return mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || (slash > 0 && mediaType.Length - slash > "+json".Length && mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
    }

    // The serializer's messages name CLR types; say the same in the API's own terms.
    private static string Describe(JsonException ex)
    {
        // Shape first: for an unknown or repeated member the path names that member, though its value is fine.
        if (ex.Message.Contains("could not be mapped", StringComparison.Ordinal)
            || ex.Message.Contains("Duplicate", StringComparison.OrdinalIgnoreCase))
        {
            return "The body has an unknown or repeated member. POST takes {\"by\", \"min\", \"max\"}; PUT takes {\"value\"}.";
        }

        var member = ex.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : null;
        if (member is "by" or "min" or "max" or "value")
        {
            return $"'{member}' must be an integer from {long.MinValue} to {long.MaxValue}.";
        }

        return "The body is not valid JSON of the expected shape. POST takes {\"by\": 1, \"min\": 0, \"max\": 100}; PUT takes {\"value\": 42}.";
    }
}
