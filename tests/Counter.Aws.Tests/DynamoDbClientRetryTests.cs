using Amazon;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Counter.Aws.Tests;

/// <summary>The store refuses a client that retries on its own: the SDK would re-send a plain ADD after a lost answer.</summary>
public sealed class DynamoDbClientRetryTests
{
    private static readonly IOptions<DynamoDbCounterStoreOptions> StoreOptions = Options.Create(new DynamoDbCounterStoreOptions());

    [Fact]
    public void Constructor_ClientWithSdkDefaultRetries_ThrowsArgumentExceptionSayingHowToFixIt()
    {
        using var client = new AmazonDynamoDBClient(new BasicAWSCredentials("test", "test"), RegionEndpoint.USEast1);

        var error = Assert.Throws<ArgumentException>(() => new DynamoDbCounterStore(client, StoreOptions));

        Assert.Equal("client", error.ParamName);
        Assert.Contains("MaxErrorRetry = 0", error.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(DynamoDbClientFactory) + "." + nameof(DynamoDbClientFactory.Create), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_ClientWithExplicitRetries_ThrowsArgumentException()
    {
        var config = new AmazonDynamoDBConfig { RegionEndpoint = RegionEndpoint.USEast1, MaxErrorRetry = 1 };
        using var client = new AmazonDynamoDBClient(new BasicAWSCredentials("test", "test"), config);

        Assert.Throws<ArgumentException>(() => new DynamoDbCounterStore(client, StoreOptions));
    }

    [Fact]
    public void Constructor_ClientWithRetriesOff_IsAccepted()
    {
        var config = new AmazonDynamoDBConfig { RegionEndpoint = RegionEndpoint.USEast1, MaxErrorRetry = 0 };
        using var client = new AmazonDynamoDBClient(new BasicAWSCredentials("test", "test"), config);

        _ = new DynamoDbCounterStore(client, StoreOptions);
    }

    [Fact]
    public void AddDynamoDbCounterStore_AppRegisteredClientWithSdkRetries_FailsWhenTheStoreIsResolved()
    {
        using var client = new AmazonDynamoDBClient(new BasicAWSCredentials("test", "test"), RegionEndpoint.USEast1);
        using var provider = new ServiceCollection()
            .AddSingleton<IAmazonDynamoDB>(client)
            .AddDynamoDbCounterStore()
            .BuildServiceProvider();

        Assert.Throws<ArgumentException>(() => provider.GetRequiredService<ICounterStore>());
    }

    [Fact]
    public void AddDynamoDbCounterStore_NoClientRegistered_UsesTheFactorysClientWithRetriesOff()
    {
        using var provider = new ServiceCollection()
            .AddDynamoDbCounterStore(o => o.Region = "us-east-1")
            .BuildServiceProvider();

        _ = provider.GetRequiredService<ICounterStore>();

        Assert.Equal(0, provider.GetRequiredService<IAmazonDynamoDB>().Config.MaxErrorRetry);
    }
}
