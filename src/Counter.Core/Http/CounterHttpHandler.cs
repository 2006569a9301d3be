using System.Globalization;
using System.Text.Json;
using Counter.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Counter.Http;

/// <summary>The HTTP API every host shares: routes a platform-neutral request to <see cref="CounterService"/> and answers it.</summary>
/// <remarks>
/// Routes: <c>GET|POST|PUT|DELETE /counters/{name}</c>, the tutorial's <c>POST /counter</c>, and <c>GET /healthz</c>.
/// Errors are RFC 9457 problem documents whose <c>type</c> is one of <see cref="Problems"/>. A refused request
/// changes nothing.
/// </remarks>
public sealed partial class CounterHttpHandler
{
    /// <summary>The largest request body accepted, in bytes.</summary>
    public const int MaxBodyBytes = 4096;

    /// <summary>The counter that <c>POST /counter</c> increments, as the tutorial's Lambda did.</summary>
    public const string TutorialCounterName = "counter";

    private const string CounterMethods = "GET, POST, PUT, DELETE";

    private static readonly KeyValuePair<string, string>[] NoHeaders = [];
    private static readonly KeyValuePair<string, string>[] ReplayedHeaders = [new("Idempotent-Replayed", "true")];
    private static readonly CounterName TutorialCounter = CounterName.Parse(TutorialCounterName);

    private readonly CounterService service;
    private readonly ILogger logger;

    /// <summary>Initializes a new instance of the <see cref="CounterHttpHandler"/> class.</summary>
    public CounterHttpHandler(CounterService service, ILogger<CounterHttpHandler>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(service);

        this.service = service;
        this.logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>Handles one request. Never throws for a bad request or a failing store: those become problem responses.</summary>
    public async ValueTask<CounterHttpResponse> HandleAsync(CounterHttpRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);

        try
        {
            return await RouteAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidCounterNameException ex)
        {
            return Problem(400, Problems.InvalidName, "Invalid counter name", ex.Reason);
        }
        catch (InvalidIdempotencyKeyException ex)
        {
            return Problem(400, Problems.InvalidIdempotencyKey, "Invalid Idempotency-Key header", ex.Message.Split(" (Parameter")[0]);
        }
        catch (CounterOverflowException ex)
        {
            return Problem(409, Problems.Overflow, "Counter overflow", ex.Message, ex.CurrentValue);
        }
        catch (CounterOutOfBoundsException ex)
        {
            return Problem(409, Problems.OutOfBounds, "Counter out of bounds", ex.Message, ex.CurrentValue);
        }
        catch (CounterStoreUnavailableException ex)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(ex.RetryAfter.TotalSeconds));
            return Problem(
                503,
                Problems.StoreUnavailable,
                "Counter store unavailable",
                "The counter store did not answer in time. Retry later; retry an increment with the same Idempotency-Key so it applies once.",
                headers: [new("Retry-After", seconds.ToString(CultureInfo.InvariantCulture))]);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // The HTTP boundary: anything else is a bug, answered as a bare 500 and logged.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.UnexpectedError(logger, request.Method, request.RawPath, ex);
            return Problem(500, Problems.InternalError, "Internal error", "The server failed to handle the request; its log has the details.");
        }
    }

    private ValueTask<CounterHttpResponse> RouteAsync(CounterHttpRequest request, CancellationToken cancellationToken)
    {
        var path = CounterPath.WithoutQuery(request.RawPath);

        if (path.StartsWith(CounterPath.CountersPrefix, StringComparison.Ordinal))
        {
            if (!CounterPath.TryDecode(path[CounterPath.CountersPrefix.Length..], out var rawName, out var error))
            {
                return ValueTask.FromResult(Problem(400, Problems.InvalidName, "Invalid counter name", error));
            }

            return request.Method switch
            {
                "GET" => GetAsync(rawName, cancellationToken),
                "POST" => IncrementAsync(request, CounterName.Parse(rawName), tutorialShape: false, cancellationToken),
                "PUT" => SetAsync(request, rawName, cancellationToken),
                "DELETE" => DeleteAsync(rawName, cancellationToken),
                _ => ValueTask.FromResult(MethodNotAllowed(request.Method, CounterMethods)),
            };
        }

        if (path.SequenceEqual("/counter"))
        {
            return request.Method == "POST"
                ? IncrementAsync(request, TutorialCounter, tutorialShape: true, cancellationToken)
                : ValueTask.FromResult(MethodNotAllowed(request.Method, "POST"));
        }

        if (path.SequenceEqual("/healthz"))
        {
            return request.Method == "GET"
                ? HealthAsync(cancellationToken)
                : ValueTask.FromResult(MethodNotAllowed(request.Method, "GET"));
        }

        return ValueTask.FromResult(Problem(
            404, Problems.NotFound, "Not found", "No route matches this path. Counters live under /counters/{name}."));
    }

    private async ValueTask<CounterHttpResponse> IncrementAsync(
        CounterHttpRequest request, CounterName name, bool tutorialShape, CancellationToken cancellationToken)
    {
        if (!RequestBody.TryRead(request, CounterJsonContext.Default.IncrementBody, out var body, out var problem))
        {
            return problem;
        }

        var delta = body is null ? 1 : body.By;
        if (delta == 0)
        {
            return Problem(400, Problems.InvalidBody, "Invalid request body", "'by' must be a non-zero integer; 0 would change nothing.");
        }

        if (body?.Min > body?.Max)
        {
            return Problem(400, Problems.InvalidBody, "Invalid request body", $"'min' ({body.Min}) must not be greater than 'max' ({body.Max}).");
        }

        var options = body?.Min is null && body?.Max is null && request.IdempotencyKey is null
            ? null
            : new IncrementOptions { Min = body?.Min, Max = body?.Max, IdempotencyKey = request.IdempotencyKey };

        var result = await service.IncrementAsync(name, delta, options, cancellationToken).ConfigureAwait(false);
        var headers = result.Replayed ? ReplayedHeaders : NoHeaders;
        return tutorialShape
            ? Json(200, new TutorialCounterBody(result.Value), CounterJsonContext.Responses.TutorialCounterBody, headers)
            : Json(200, new CounterValueBody(name.Value, result.Value), CounterJsonContext.Responses.CounterValueBody, headers);
    }

    private async ValueTask<CounterHttpResponse> GetAsync(string rawName, CancellationToken cancellationToken)
    {
        var name = CounterName.Parse(rawName);
        var value = await service.GetAsync(name, cancellationToken).ConfigureAwait(false);
        return Json(200, new CounterValueBody(name.Value, value), CounterJsonContext.Responses.CounterValueBody);
    }

    private async ValueTask<CounterHttpResponse> SetAsync(CounterHttpRequest request, string rawName, CancellationToken cancellationToken)
    {
        var name = CounterName.Parse(rawName);
        if (!RequestBody.TryRead(request, CounterJsonContext.Default.SetBody, out var body, out var problem))
        {
            return problem;
        }

        if (body?.Value is not { } value)
        {
            return Problem(400, Problems.InvalidBody, "Invalid request body", "PUT needs a JSON body such as {\"value\": 42}.");
        }

        await service.SetAsync(name, value, cancellationToken).ConfigureAwait(false);
        return Json(200, new CounterValueBody(name.Value, value), CounterJsonContext.Responses.CounterValueBody);
    }

    private async ValueTask<CounterHttpResponse> DeleteAsync(string rawName, CancellationToken cancellationToken)
    {
        var name = CounterName.Parse(rawName);
        await service.DeleteAsync(name, cancellationToken).ConfigureAwait(false);
        return new CounterHttpResponse(204, null, ReadOnlyMemory<byte>.Empty, NoHeaders);
    }

    private async ValueTask<CounterHttpResponse> HealthAsync(CancellationToken cancellationToken)
    {
        await service.CheckHealthAsync(cancellationToken).ConfigureAwait(false);
        return Json(200, new HealthBody("ok"), CounterJsonContext.Responses.HealthBody);
    }

    private static CounterHttpResponse MethodNotAllowed(string method, string allow) =>
        Problem(405, Problems.MethodNotAllowed, "Method not allowed", $"{method} is not allowed here; use {allow}.", headers: [new("Allow", allow)]);

    internal static CounterHttpResponse Problem(
        int status, string type, string title, string detail, long? current = null, KeyValuePair<string, string>[]? headers = null)
    {
        var body = new ProblemBody(type, title, status, detail) { Current = current };
        return new CounterHttpResponse(
            status,
            "application/problem+json",
            JsonSerializer.SerializeToUtf8Bytes(body, CounterJsonContext.Responses.ProblemBody),
            headers ?? NoHeaders);
    }

    private static CounterHttpResponse Json<T>(
        int status, T body, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo, KeyValuePair<string, string>[]? headers = null) =>
        new(status, "application/json", JsonSerializer.SerializeToUtf8Bytes(body, typeInfo), headers ?? NoHeaders);
}
