using Amazon;
using Amazon.DynamoDBv2;
using Amazon.Runtime;

namespace Counter.Aws;

/// <summary>Creates the DynamoDB client <see cref="DynamoDbCounterStore"/> expects.</summary>
public static class DynamoDbClientFactory
{
    /// <summary>Creates a client for the options' endpoint or region, with the SDK's own retries off (the store retries).</summary>
    /// <param name="options">The endpoint, region and call timeout.</param>
    /// <param name="credentials">The credentials; when <see langword="null"/>, the SDK's default chain (Lambda's role, environment, profile).</param>
    public static AmazonDynamoDBClient Create(DynamoDbCounterStoreOptions options, AWSCredentials? credentials = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        var config = new AmazonDynamoDBConfig
        {
            MaxErrorRetry = 0,
            Timeout = options.CallTimeout,
        };
        if (options.Region is { Length: > 0 } region)
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }

        if (options.ServiceUrl is { } url)
        {
            config.ServiceURL = url.ToString();
            config.AuthenticationRegion = options.Region ?? "us-east-1";
        }

        return credentials is null ? new AmazonDynamoDBClient(config) : new AmazonDynamoDBClient(credentials, config);
    }
}
