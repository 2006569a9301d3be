using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Counter.Sqlite;

/// <summary>Registers <see cref="SqliteCounterStore"/> as the counter store.</summary>
public static class SqliteServiceCollectionExtensions
{
    /// <summary>Adds the SQLite store as the <see cref="ICounterStore"/>, configured by <paramref name="configure"/>.</summary>
    public static IServiceCollection AddSqliteCounterStore(this IServiceCollection services, Action<SqliteCounterStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);

        var options = services.AddOptions<SqliteCounterStoreOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton<SqliteCounterStore>();
        services.TryAddSingleton<ICounterStore>(sp => sp.GetRequiredService<SqliteCounterStore>());
        return services;
    }
}
