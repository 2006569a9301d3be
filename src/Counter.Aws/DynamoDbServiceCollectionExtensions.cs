using Amazon.DynamoDBv2;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Counter.Aws;

/// <summary>Registers <see cref="DynamoDbCounterStore"/> with a dependency-injection container.</summary>
public static class DynamoDbServiceCollectionExtensions
{
    /// <summary>Adds the DynamoDB store as the <see cref="ICounterStore"/>, with a client from <see cref="DynamoDbClientFactory"/>
    /// unless an <see cref="IAmazonDynamoDB"/> is registered already.</summary>
    public static IServiceCollection AddDynamoDbCounterStore(this IServiceCollection services, Action<DynamoDbCounterStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);

        services.AddOptions<DynamoDbCounterStoreOptions>().Validate(
            static o =>
            {
                o.Validate();
                return true;
            });
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.TryAddSingleton<IAmazonDynamoDB>(
            static sp => DynamoDbClientFactory.Create(sp.GetRequiredService<IOptions<DynamoDbCounterStoreOptions>>().Value));
        services.TryAddSingleton<DynamoDbCounterStore>();
        services.TryAddSingleton<ICounterStore>(static sp => sp.GetRequiredService<DynamoDbCounterStore>());
        return services;
    }
}
