using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Counter.Azure;

/// <summary>Registers the Azure Table Storage counter store.</summary>
public static class TableStorageServiceCollectionExtensions
{
    /// <summary>Adds <see cref="TableStorageCounterStore"/> as the <see cref="ICounterStore"/>.</summary>
    public static IServiceCollection AddTableStorageCounterStore(
        this IServiceCollection services, Action<TableStorageCounterStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);

        services.Configure(configure);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(provider => new TableStorageCounterStore(
            provider.GetRequiredService<IOptions<TableStorageCounterStoreOptions>>(),
            provider.GetService<TimeProvider>(),
            provider.GetService<ILogger<TableStorageCounterStore>>(),
            provider.GetService<IMeterFactory>()));
        services.TryAddSingleton<ICounterStore>(provider => provider.GetRequiredService<TableStorageCounterStore>());
        return services;
    }
}
