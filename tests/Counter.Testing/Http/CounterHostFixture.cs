using Xunit;

namespace Counter.Testing.Http;

/// <summary>Starts a host of Counter's HTTP API and gives an <see cref="HttpClient"/> whose base address reaches it.</summary>
/// <remarks>
/// A host that is not an HTTP server (a Lambda handler, a Functions class) is reached through an
/// <see cref="HttpMessageHandler"/> that turns each request into the platform's own shape, so the same
/// <see cref="CounterHttpApiTests"/> hold it to the same API.
/// </remarks>
public abstract class CounterHostFixture : IAsyncLifetime
{
    private HttpClient? client;
    private string? missing;

    /// <summary>Gets the client; skips or fails the calling test when the host could not be started.</summary>
    public HttpClient Client
    {
        get
        {
            if (client is not null)
            {
                return client;
            }

            TestEnvironment.SkipOrFail(missing ?? "The host fixture has not been initialised.");
            throw new InvalidOperationException("unreachable");
        }
    }

    /// <summary>Starts the host and returns a client for it.</summary>
    /// <exception cref="EmulatorNotFoundException">A program the host needs is not installed.</exception>
    protected abstract ValueTask<HttpClient> StartAsync();

    /// <summary>Stops what <see cref="StartAsync"/> started.</summary>
    protected virtual ValueTask StopAsync() => ValueTask.CompletedTask;

    /// <inheritdoc/>
    public async ValueTask InitializeAsync()
    {
        try
        {
            client = await StartAsync().ConfigureAwait(false);
        }
        catch (EmulatorNotFoundException ex)
        {
            missing = ex.Message;
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        client?.Dispose();
        await StopAsync().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }
}
