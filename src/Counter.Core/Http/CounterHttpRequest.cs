namespace Counter.Http;

/// <summary>An HTTP request as every host hands it to <see cref="CounterHttpHandler"/>, whatever its platform.</summary>
public sealed class CounterHttpRequest
{
    /// <summary>Gets the HTTP method. Methods are case-sensitive (RFC 9110): <c>get</c> is not <c>GET</c>.</summary>
    public required string Method { get; init; }

    /// <summary>Gets the path as sent, still percent-encoded; a query string after <c>?</c> is allowed and ignored.</summary>
    /// <remarks>Pass the raw path, not a decoded one: a decoded <c>%2F</c> or <c>%3F</c> would change the counter name.</remarks>
    public required string RawPath { get; init; }

    /// <summary>Gets the <c>Content-Type</c> header, or <see langword="null"/> when absent.</summary>
    public string? ContentType { get; init; }

    /// <summary>Gets the <c>Idempotency-Key</c> header, or <see langword="null"/> when absent.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>Gets the request body. Hosts need read no more than <see cref="CounterHttpHandler.MaxBodyBytes"/> + 1 bytes.</summary>
    public ReadOnlyMemory<byte> Body { get; init; }
}

/// <summary>The handler's answer, for a host to write back in its platform's shape.</summary>
public sealed class CounterHttpResponse
{
    internal CounterHttpResponse(int statusCode, string? contentType, ReadOnlyMemory<byte> body, IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        StatusCode = statusCode;
        ContentType = contentType;
        Body = body;
        Headers = headers;
    }

    /// <summary>Gets the status code.</summary>
    public int StatusCode { get; }

    /// <summary>Gets the <c>Content-Type</c> of <see cref="Body"/>, or <see langword="null"/> when there is no body.</summary>
    public string? ContentType { get; }

    /// <summary>Gets the body, UTF-8 JSON or empty.</summary>
    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>Gets the headers to send besides <c>Content-Type</c>.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }
}
