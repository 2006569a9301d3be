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
        var parameters = mediaType.IndexOf(';');
        if (parameters >= 0)
        {
            mediaType = mediaType[..parameters];
        }

        mediaType = mediaType.Trim();
        return mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
    }

    // The serializer's messages name CLR types; say the same in the API's own terms.
    private static string Describe(JsonException ex)
    {
        var member = ex.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : null;
        if (member is "by" or "min" or "max" or "value")
        {
            return $"'{member}' must be an integer from {long.MinValue} to {long.MaxValue}.";
        }

        if (ex.Message.Contains("could not be mapped", StringComparison.Ordinal)
            || ex.Message.Contains("Duplicate", StringComparison.OrdinalIgnoreCase))
        {
            return "The body has an unknown or repeated member. POST takes {\"by\", \"min\", \"max\"}; PUT takes {\"value\"}.";
        }

        return "The body is not valid JSON of the expected shape. POST takes {\"by\": 1, \"min\": 0, \"max\": 100}; PUT takes {\"value\": 42}.";
    }
}
