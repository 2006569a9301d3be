using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Counter.Aws;
using Counter.Azure;
using Counter.Gcp;
using Microsoft.Extensions.Options;

namespace Counter.Load.Targets;

/// <summary>The cloud stores, each against its local emulator (this tool never sends load to a cloud account).</summary>
internal static class CloudStores
{
    /// <summary>The DynamoDB store on an emulator such as dynalite or moto, creating its table when missing.</summary>
    public static async Task<ILoadTarget> CreateDynamoDbAsync(LoadOptions options)
    {
        var endpoint = options.Endpoint ?? throw new UsageException("--store dynamodb needs --endpoint, the emulator's URL.");
        var settings = new DynamoDbCounterStoreOptions { ServiceUrl = endpoint, Region = "us-east-1", TableName = "counters-bench" };
        var client = DynamoDbClientFactory.Create(settings, new BasicAWSCredentials("bench", "bench"));
        try
        {
            await client.DescribeTableAsync(settings.TableName);
        }
        catch (ResourceNotFoundException)
        {
            await client.CreateTableAsync(new CreateTableRequest
            {
                TableName = settings.TableName,
                BillingMode = BillingMode.PAY_PER_REQUEST,
                AttributeDefinitions = [new AttributeDefinition(settings.KeyAttributeName, ScalarAttributeType.S)],
                KeySchema = [new KeySchemaElement(settings.KeyAttributeName, KeyType.HASH)],
            });
        }
        catch (AmazonServiceException ex)
        {
            client.Dispose();
            throw new LoadErrorException($"dynamodb emulator: {ex.ErrorCode}", mayHaveApplied: false, ex);
        }

        var store = new DynamoDbCounterStore(client, Options.Create(settings));
        return new StoreLoadTarget($"DynamoDB store on {endpoint}", store, new Disposer(client));
    }

    /// <summary>The Firestore store on the Firestore emulator.</summary>
    public static ILoadTarget CreateFirestore(LoadOptions options)
    {
        var endpoint = options.Endpoint ?? throw new UsageException("--store firestore needs --endpoint, the emulator's URL.");
        var store = new FirestoreCounterStore(Options.Create(new FirestoreCounterStoreOptions
        {
            ProjectId = "counter-bench",
            EmulatorHost = endpoint.Authority,
        }));
        return new StoreLoadTarget($"Firestore store on {endpoint}", store, new Disposer(store));
    }

    /// <summary>The Table Storage store on Azurite, with Azurite's development account; the store creates its table.</summary>
    public static ILoadTarget CreateTables(LoadOptions options)
    {
        var endpoint = options.Endpoint ?? throw new UsageException("--store tables needs --endpoint, Azurite's table URL.");

        // Azurite's well-known development account key, published with the emulator; not a secret.
        const string developmentKey =
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
        var store = new TableStorageCounterStore(Options.Create(new TableStorageCounterStoreOptions
        {
            ConnectionString = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;"
                + $"AccountKey={developmentKey};TableEndpoint={endpoint.GetLeftPart(UriPartial.Authority)}/devstoreaccount1;",
            TableName = "countersbench",
        }));
        return new StoreLoadTarget($"Table Storage store on {endpoint}", store, owner: null);
    }

    /// <summary>Disposes what the store was built on when the run ends.</summary>
    private sealed class Disposer(IDisposable owned) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            owned.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
