using Counter.Testing.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Counter.Local.Tests;

/// <summary>The local host, in this process, on a free port and a temporary database, reached over real HTTP.</summary>
public sealed class LocalHostFixture : CounterHostFixture
{
    private readonly TemporaryDatabase database = new();
    private WebApplication? app;

    public static async Task<(WebApplication App, Uri Address)> StartHostAsync(string databasePath, string url = "http://127.0.0.1:0")
    {
        var app = LocalHost.Build(["--urls", url, "--Counter:Sqlite:DatabasePath", databasePath, "--Logging:LogLevel:Default", "Warning"]);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return (app, new Uri(address));
    }

    protected override async ValueTask<HttpClient> StartAsync()
    {
        (app, var address) = await StartHostAsync(database.Path);
        return new HttpClient { BaseAddress = address };
    }

    protected override async ValueTask StopAsync()
    {
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        database.Dispose();
    }
}

public sealed class LocalHostHttpTests(LocalHostFixture fixture) : CounterHttpApiTests(fixture), IClassFixture<LocalHostFixture>;
