using System.Net;
using Counter;
using Counter.Gcp.CloudRun;

// Cloud Run's container contract: serve HTTP on 0.0.0.0:$PORT (8080 when unset). Everything else is Core's API.
var settings = CloudRunSettings.FromEnvironment();

var builder = WebApplication.CreateSlimBuilder(args);
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Any, settings.Port));
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
builder.Services
    .AddCounter()
    .AddFirestoreCounterStore(options =>
    {
        options.ProjectId = settings.ProjectId;
        options.DatabaseId = settings.DatabaseId;
        options.Collection = settings.Collection;
        options.EmulatorHost = settings.EmulatorHost;
    })
    .AddSingleton<CounterFunction>();

var app = builder.Build();
Log.Starting(
    app.Logger, settings.Port, settings.ProjectId ?? "(emulator)", settings.DatabaseId, settings.Collection, settings.EmulatorHost ?? "(none)");

var function = app.Services.GetRequiredService<CounterFunction>();
app.Run(function.HandleAsync);
await app.RunAsync().ConfigureAwait(false);
