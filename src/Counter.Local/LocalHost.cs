using Counter.AspNetCore;
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
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);

        // --urls (or ASPNETCORE_URLS) wins; else PORT, as container platforms set it; else the documented default.
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            var port = builder.Configuration["PORT"];
            builder.WebHost.UseUrls(string.IsNullOrEmpty(port) ? DefaultUrl : $"http://127.0.0.1:{port}");
        }

        builder.Services.AddCounter(options => builder.Configuration.GetSection("Counter").Bind(options));
        builder.Services.AddSqliteCounterStore(options => builder.Configuration.GetSection(SqliteSection).Bind(options));

        var app = builder.Build();
        app.Run(context => context.HandleCounterRequestAsync());
        app.Lifetime.ApplicationStarted.Register(() => LogStarted(app));
        return app;
    }

    private static void LogStarted(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var store = app.Services.GetRequiredService<SqliteCounterStore>();
        Log.Started(app.Logger, addresses, store.DatabasePath);
    }
}
