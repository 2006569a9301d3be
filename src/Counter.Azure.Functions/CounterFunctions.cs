using Counter.AspNetCore;
using Counter.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Counter.Azure.Functions;

/// <summary>The HTTP triggers: each hands its request, raw path and all, to Core's handler and nothing else.</summary>
/// <remarks>
/// host.json sets the route prefix to empty, so the paths are the same as on every other host. No methods are
/// listed, so the handler (not the Functions host) answers a wrong method, with 405 and an Allow header.
/// </remarks>
public sealed class CounterFunctions(CounterHttpHandler handler)
{
    /// <summary>Reads, increments, sets or deletes one counter: <c>/counters/{name}</c>.</summary>
    [Function("Counters")]
    public Task<IActionResult> CountersAsync(
        [HttpTrigger(FunctionAuthorization.Level, Route = "counters/{*name}")] HttpRequest request) => HandleAsync(request);

    /// <summary>The tutorial's <c>POST /counter</c>.</summary>
    [Function("TutorialCounter")]
    public Task<IActionResult> TutorialCounterAsync(
        [HttpTrigger(FunctionAuthorization.Level, Route = "counter")] HttpRequest request) => HandleAsync(request);

    /// <summary>Checks that the store answers: <c>GET /healthz</c>.</summary>
    [Function("Health")]
    public Task<IActionResult> HealthAsync(
        [HttpTrigger(FunctionAuthorization.Level, Route = "healthz")] HttpRequest request) => HandleAsync(request);

    /// <summary>Any other path, so that it gets the same problem document as on the other hosts.</summary>
    [Function("NotFound")]
    public Task<IActionResult> NotFoundAsync(
        [HttpTrigger(FunctionAuthorization.Level, Route = "{*path}")] HttpRequest request) => HandleAsync(request);

    private async Task<IActionResult> HandleAsync(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);

        // The handler has written the whole response; an empty result tells the worker to leave it alone.
        await request.HttpContext.HandleCounterRequestAsync(handler).ConfigureAwait(false);
        return new EmptyResult();
    }
}
