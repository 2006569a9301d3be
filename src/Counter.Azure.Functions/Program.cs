using Counter;
using Counter.Azure;
using Counter.Azure.Functions;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services
    .AddCounter()
    .AddTableStorageCounterStore(options => CounterStorageSettings.Apply(builder.Configuration, options));
builder.Build().Run();
