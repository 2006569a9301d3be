using Counter.AspNetCore;
using Counter.Http;
using Counter.Sqlite;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Counter.Local;

/// <summary>Builds the local host: Counter's HTTP API on Kestrel, with counters in a SQLite file.</summary>
public static class LocalHost
{
    /// <summary>The address served when neither <c>--urls</c> nor <c>PORT</c> says otherwise.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>The configuration section of the SQLite store (<c>Counter__Sqlite__DatabasePath</c> as an environment variable).</summary>
    public const string SqliteSection = "Counter:Sqlite";

    /// <summary>Builds the app from command-line arguments and the usual ASP.NET Core configuration sources.</summary>
    /// <remarks>The store and the service are created here, so a bad setting or database fails the start, not each request.</remarks>
    /// <exception cref="CounterStoreUnavailableException">The database file cannot be opened or created.</exception>
    /// <exception cref="InvalidOperationException">A setting has a value of the wrong form.</exception>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public static WebApplication Build(string[] args)
    {
        // The content root is the app's own folder, so its appsettings.json applies wherever `dotnet run` is typed;
        // relative paths such as counters.db still resolve against the working directory.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });

        // --urls (or ASPNETCORE_URLS) wins; else PORT, as container platforms set it; else the documented default.
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            var port = builder.Configuration["PORT"];
            builder.WebHost.UseUrls(string.IsNullOrEmpty(port) ? DefaultUrl : $"http://127.0.0.1:{port}");
        }

        builder.Services.AddCounter(options => builder.Configuration.GetSection("Counter").Bind(options));
        builder.Services.AddSqliteCounterStore(options => builder.Configuration.GetSection(SqliteSection).Bind(options));

        var app = builder.Build();
        app.Services.GetRequiredService<CounterHttpHandler>();
        app.Run(context => context.HandleCounterRequestAsync());
        app.Lifetime.ApplicationStarted.Register(() => LogStarted(app));
        return app;
    }

    /// <summary>Tells whether <paramref name="exception"/>, thrown by <see cref="Build"/>, is a configuration or database problem.</summary>
    public static bool IsStartupError(Exception exception) =>
        exception is CounterStoreUnavailableException or InvalidOperationException or ArgumentException or FormatException;

    private static void LogStarted(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var store = app.Services.GetRequiredService<SqliteCounterStore>();
        Log.Started(app.Logger, addresses, store.DatabasePath);
    }
}
