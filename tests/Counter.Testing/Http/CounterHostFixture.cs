namespace Counter.Testing.Http;

/// <summary>Starts a host of Counter's HTTP API and gives an <see cref="HttpClient"/> whose base address reaches it.</summary>
/// <remarks>
/// A host that is not an HTTP server (a Lambda handler, a Functions class) is reached through an
/// <see cref="HttpMessageHandler"/> that turns each request into the platform's own shape, so the same
/// <see cref="CounterHttpApiTests"/> hold it to the same API. The client is disposed with the fixture.
/// </remarks>
public abstract class CounterHostFixture : StartedFixture<HttpClient>
{
    /// <summary>Gets the client; skips or fails the calling test when the host could not be started.</summary>
    public HttpClient Client => Started;

    /// <inheritdoc/>
    protected sealed override void Release(HttpClient resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        resource.Dispose();
    }
}
