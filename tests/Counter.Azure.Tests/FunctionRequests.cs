using System.Text;
using System.Text.Json;
using Counter.Azure.Functions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;

namespace Counter.Azure.Tests;

/// <summary>Drives the function classes as the worker does: a real HttpContext with a raw target, headers and a body.</summary>
internal static class FunctionRequests
{
    /// <summary>Sends one request to the function whose route the Functions host would match, and reads the answer.</summary>
    public static async Task<FunctionResponse> SendAsync(
        CounterFunctions functions,
        string method,
        string rawTarget,
        string? body = null,
        string? contentType = "application/json",
        string? idempotencyKey = null,
        bool chunked = false)
    {
        var context = new DefaultHttpContext();
        var request = context.Features.Get<IHttpRequestFeature>()!;
        var query = rawTarget.IndexOf('?', StringComparison.Ordinal);
        request.Method = method;
        request.RawTarget = rawTarget;
        request.Path = PathString.FromUriComponent(query < 0 ? rawTarget : rawTarget[..query]).Value!;
        request.QueryString = query < 0 ? string.Empty : rawTarget[query..];

        if (body is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            if (chunked)
            {
                context.Request.Headers.TransferEncoding = "chunked";
                context.Request.Body = new TrickleStream(bytes);
            }
            else
            {
                context.Request.ContentLength = bytes.Length;
                context.Request.Body = new MemoryStream(bytes);
            }

            if (contentType is not null)
            {
                context.Request.ContentType = contentType;
            }
        }

        if (idempotencyKey is not null)
        {
            context.Request.Headers["Idempotency-Key"] = idempotencyKey;
        }

        using var responseBody = new MemoryStream();
        context.Response.Body = responseBody;

        await InvokeRoutedAsync(functions, context);

        var text = Encoding.UTF8.GetString(responseBody.ToArray());
        return new FunctionResponse(
            context.Response.StatusCode,
            context.Response.ContentType,
            context.Response.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            text.Length == 0 ? null : JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>A request body that arrives a few bytes at a time, as a chunked upload does.</summary>
    /// <summary>Calls the function whose route template matches the path, as the Functions host would, and checks
    /// that it wrote the response itself.</summary>
    public static async Task InvokeRoutedAsync(CounterFunctions functions, HttpContext context)
    {
        var path = context.Request.Path.Value!;
        var result = path.StartsWith("/counters/", StringComparison.Ordinal) ? functions.CountersAsync(context.Request)
            : path == "/counter" ? functions.TutorialCounterAsync(context.Request)
            : path == "/healthz" ? functions.HealthAsync(context.Request)
            : functions.NotFoundAsync(context.Request);
        Assert.IsType<EmptyResult>(await result);
    }

    private sealed class TrickleStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, 3));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, 3)], cancellationToken);
    }
}

/// <summary>What a function answered.</summary>
internal sealed record FunctionResponse(int Status, string? ContentType, Dictionary<string, string> Headers, JsonElement? Json)
{
    public long Value => Json!.Value.GetProperty("value").GetInt64();

    public string? ProblemType => Json?.GetProperty("type").GetString();
}
