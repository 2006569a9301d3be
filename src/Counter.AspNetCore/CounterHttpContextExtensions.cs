using System.Buffers;
using Counter.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Counter.AspNetCore;

/// <summary>Answers an ASP.NET Core request with <see cref="CounterHttpHandler"/>, so every ASP.NET-based host behaves the same.</summary>
public static class CounterHttpContextExtensions
{
    /// <summary>Reads the request, lets the handler answer it, and writes the answer.</summary>
    /// <param name="context">The request's context.</param>
    /// <param name="handler">The handler; when <see langword="null"/>, the one registered by <c>AddCounter</c>.</param>
    /// <param name="rawPath">The percent-encoded path to route on; when <see langword="null"/>, the request's own.</param>
    public static async Task HandleCounterRequestAsync(this HttpContext context, CounterHttpHandler? handler = null, string? rawPath = null)
    {
        ArgumentNullException.ThrowIfNull(context);

        handler ??= context.RequestServices.GetRequiredService<CounterHttpHandler>();
        var headers = context.Request.Headers;

        // Read at most one byte past the limit: enough for the handler to answer 413 without buffering a large body.
        var buffer = ArrayPool<byte>.Shared.Rent(CounterHttpHandler.MaxBodyBytes + 1);
        try
        {
            var length = await ReadUpToAsync(context.Request.Body, buffer, CounterHttpHandler.MaxBodyBytes + 1, context.RequestAborted)
                .ConfigureAwait(false);

            var request = new CounterHttpRequest
            {
                Method = context.Request.Method,
                RawPath = rawPath ?? RawPathOf(context),
                ContentType = headers.ContentType.Count > 0 ? headers.ContentType.ToString() : null,
                IdempotencyKey = headers.TryGetValue("Idempotency-Key", out var key) ? key.ToString() : null,
                Body = buffer.AsMemory(0, length),
            };

            var response = await handler.HandleAsync(request, context.RequestAborted).ConfigureAwait(false);
            await WriteAsync(context.Response, response, context.RequestAborted).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Gets the request path as the client sent it, still percent-encoded, without the app's path base.</summary>
    /// <remarks>
    /// <see cref="HttpRequest.Path"/> is decoded and has dot segments removed, which would change names such as
    /// <c>..</c> or <c>a%3Fb</c>; the server's raw target keeps them.
    /// </remarks>
    public static string RawPathOf(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);

        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (rawTarget is not null && rawTarget.Contains("://", StringComparison.Ordinal))
        {
            // Absolute form (GET http://host/counters/x HTTP/1.1), as sent to proxies: the path starts after the authority.
            var authority = rawTarget.IndexOf("://", StringComparison.Ordinal) + 3;
            var pathStart = rawTarget.IndexOf('/', authority);
            rawTarget = pathStart < 0 ? "/" : rawTarget[pathStart..];
        }

        if (string.IsNullOrEmpty(rawTarget) || rawTarget[0] != '/')
        {
            // No raw target (a test server, some gateways): re-encode the decoded path, the best left to go on.
            return context.Request.Path.ToUriComponent();
        }

        var pathBase = context.Request.PathBase.ToUriComponent();
        return pathBase.Length > 0 && rawTarget.StartsWith(pathBase, StringComparison.OrdinalIgnoreCase)
            ? rawTarget[pathBase.Length..]
            : rawTarget;
    }

    private static async Task<int> ReadUpToAsync(Stream body, byte[] buffer, int limit, CancellationToken cancellationToken)
    {
        var total = 0;
        while (total < limit)
        {
            var read = await body.ReadAsync(buffer.AsMemory(total, limit - total), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }

    private static async Task WriteAsync(HttpResponse target, CounterHttpResponse response, CancellationToken cancellationToken)
    {
        target.StatusCode = response.StatusCode;
        foreach (var (name, value) in response.Headers)
        {
            target.Headers[name] = value;
        }

        if (response.ContentType is not null)
        {
            target.ContentType = response.ContentType;
            target.ContentLength = response.Body.Length;
            await target.Body.WriteAsync(response.Body, cancellationToken).ConfigureAwait(false);
        }
    }
}
