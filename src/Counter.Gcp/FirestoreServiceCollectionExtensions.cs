using Counter.Gcp;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Counter;

/// <summary>Registers the Firestore store with a dependency-injection container.</summary>
public static class FirestoreServiceCollectionExtensions
{
    /// <summary>Adds <see cref="FirestoreCounterStore"/> as the <see cref="ICounterStore"/>.</summary>
    public static IServiceCollection AddFirestoreCounterStore(
        this IServiceCollection services, Action<FirestoreCounterStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);

        services.AddOptions<FirestoreCounterStoreOptions>();
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<FirestoreCounterStore>();
        services.TryAddSingleton<ICounterStore>(provider => provider.GetRequiredService<FirestoreCounterStore>());
        return services;
    }
}
