using Counter.Http;
using Counter.Stores;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Counter;

/// <summary>Registers Counter's services with a dependency-injection container.</summary>
public static class CounterServiceCollectionExtensions
{
    /// <summary>Adds <see cref="CounterService"/> and <see cref="CounterHttpHandler"/>; a store must be added too.</summary>
    public static IServiceCollection AddCounter(this IServiceCollection services, Action<CounterServiceOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);

        services.AddOptions<CounterServiceOptions>();
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<CounterService>();
        services.TryAddSingleton<CounterHttpHandler>();
        return services;
    }

    /// <summary>Adds the in-memory store: counters live as long as the process.</summary>
    public static IServiceCollection AddInMemoryCounterStore(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);

        services.TryAddSingleton<ICounterStore, InMemoryCounterStore>();
        return services;
    }
}
