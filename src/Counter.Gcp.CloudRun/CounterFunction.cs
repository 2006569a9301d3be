using Counter.AspNetCore;
using Counter.Http;
using Microsoft.AspNetCore.Http;

namespace Counter.Gcp.CloudRun;

/// <summary>The Cloud Run function: answers every request with Counter's HTTP API.</summary>
/// <remarks>
/// <see cref="HandleAsync"/> has the shape of the Functions Framework's <c>IHttpFunction</c>, so adopting
/// <c>Google.Cloud.Functions.Framework</c> later is a one-line change: declare <c>: IHttpFunction</c> on this class.
/// </remarks>
public sealed class CounterFunction(CounterHttpHandler handler)
{
    /// <summary>Handles one HTTP request.</summary>
    public Task HandleAsync(HttpContext context) => context.HandleCounterRequestAsync(handler);
}
