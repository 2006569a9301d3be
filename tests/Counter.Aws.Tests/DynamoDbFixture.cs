using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Counter.Testing;
using Microsoft.Extensions.Options;

namespace Counter.Aws.Tests;

/// <summary>Starts a DynamoDB endpoint, creates a fresh on-demand table on it, and builds the store over that table.</summary>
/// <remarks>
/// To run against a DynamoDB you already have (real AWS, or an emulator you started), set
/// <c>COUNTER_TEST_DYNAMODB_ENDPOINT</c> to its URL, or to <c>aws</c> for AWS itself with the default credential chain,
/// and optionally <c>COUNTER_TEST_DYNAMODB_REGION</c> and <c>COUNTER_TEST_DYNAMODB_TABLE</c> (an existing table with a
/// string partition key <c>pk</c>; otherwise a table is created for the run and deleted after it).
/// </remarks>
public abstract class DynamoDbFixture : CounterStoreFixture<DynamoDbCounterStore>
{
    private EmulatorProcess? emulator;
    private bool ownsTable;

    /// <summary>Gets the client the store uses.</summary>
    public AmazonDynamoDBClient Client { get; private set; } = null!;

    /// <summary>Gets the store's options, table name included.</summary>
    public DynamoDbCounterStoreOptions Options { get; } = new() { TableName = $"counter-test-{Guid.NewGuid():N}" };

    /// <summary>Gets the endpoint the store talks to, or <see langword="null"/> for AWS itself.</summary>
    public Uri? Endpoint { get; private set; }

    /// <summary>Gets a value indicating whether the endpoint supports DynamoDB TTL settings.</summary>
    protected virtual bool SupportsTimeToLive => true;

    /// <summary>Starts the emulator this fixture runs on.</summary>
    /// <exception cref="EmulatorNotFoundException">It is not installed.</exception>
    protected abstract Task<EmulatorProcess> StartEmulatorAsync();

    /// <summary>Gets the configured endpoint, if the user chose one; only the full-featured fixture honours it.</summary>
    protected virtual string? ConfiguredEndpoint => null;

    protected override async ValueTask<DynamoDbCounterStore> CreateStoreAsync()
    {
        AWSCredentials? credentials = new BasicAWSCredentials("test", "test");
        Options.Region = Environment.GetEnvironmentVariable("COUNTER_TEST_DYNAMODB_REGION") ?? "us-east-1";
        if (ConfiguredEndpoint is { } configured)
        {
            if (configured.Equals("aws", StringComparison.OrdinalIgnoreCase))
            {
                credentials = null;
            }
            else
            {
                Endpoint = new Uri(configured);
            }

            if (Environment.GetEnvironmentVariable("COUNTER_TEST_DYNAMODB_TABLE") is { Length: > 0 } table)
            {
                Options.TableName = table;
            }
        }
        else
        {
            var process = await StartEmulatorAsync().ConfigureAwait(false);
            emulator = process;
            Endpoint = new Uri($"http://127.0.0.1:{process.Port}");
        }

        Options.ServiceUrl = Endpoint;
        Client = DynamoDbClientFactory.Create(Options, credentials);
        ownsTable = !await TableExistsAsync().ConfigureAwait(false);
        if (ownsTable)
        {
            await DynamoDbTestTables.CreateAsync(Client, Options, SupportsTimeToLive).ConfigureAwait(false);
        }

        return new DynamoDbCounterStore(Client, Microsoft.Extensions.Options.Options.Create(Options));
    }

    protected override async ValueTask DisposeStoreAsync()
    {
        try
        {
            if (ownsTable && emulator is null && Client is not null)
            {
                await Client.DeleteTableAsync(Options.TableName).ConfigureAwait(false);
            }
        }
        finally
        {
            Client?.Dispose();
            if (emulator is not null)
            {
                await emulator.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task<bool> TableExistsAsync()
    {
        try
        {
            await Client.DescribeTableAsync(Options.TableName).ConfigureAwait(false);
            return true;
        }
        catch (ResourceNotFoundException)
        {
            return false;
        }
    }
}

/// <summary>Runs the store on <c>moto_server</c>, which has everything the store uses; or on the configured endpoint.</summary>
public sealed class MotoFixture : DynamoDbFixture
{
    protected override string? ConfiguredEndpoint =>
        Environment.GetEnvironmentVariable("COUNTER_TEST_DYNAMODB_ENDPOINT") is { Length: > 0 } endpoint ? endpoint : null;

    protected override Task<EmulatorProcess> StartEmulatorAsync() => Emulators.StartMotoAsync();
}

/// <summary>Runs the store on dynalite, which has no transactions and no TTL settings.</summary>
public sealed class DynaliteFixture : DynamoDbFixture
{
    protected override bool SupportsTimeToLive => false;

    protected override Task<EmulatorProcess> StartEmulatorAsync() => Emulators.StartDynaliteAsync();
}
