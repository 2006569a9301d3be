using System.Diagnostics.Metrics;
using Azure.Data.Tables;
using Counter.Testing;
using Microsoft.Extensions.Options;

namespace Counter.Azure.Tests;

/// <summary>Starts Azurite's table service in memory on a free port, or uses the account named by an environment variable.</summary>
/// <remarks>
/// Set <c>COUNTER_AZURE_TABLES_CONNECTION_STRING</c> to run the same tests against a real storage account; each fixture
/// then works in a table of its own and deletes it afterwards.
/// </remarks>
public sealed class AzuriteFixture : CounterStoreFixture<TableStorageCounterStore>
{
    /// <summary>The environment variable that points the tests at an existing account instead of Azurite.</summary>
    public const string ConnectionStringVariable = "COUNTER_AZURE_TABLES_CONNECTION_STRING";

    // Azurite's well-known development account; not a secret.
    private const string DevelopmentKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private EmulatorProcess? azurite;

    /// <summary>Gets the connection string of the account the tests use.</summary>
    public string ConnectionString { get; private set; } = string.Empty;

    /// <summary>Gets the table the fixture's store writes to.</summary>
    public string TableName { get; } = "counters" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>Creates another store over the same table, with its own settings, client wrapper or meters.</summary>
    public TableStorageCounterStore CreateStore(
        Action<TableStorageCounterStoreOptions>? configure = null,
        Func<TableClient, TableClient>? wrap = null,
        IMeterFactory? meterFactory = null)
    {
        var options = new TableStorageCounterStoreOptions { ConnectionString = ConnectionString, TableName = TableName };
        configure?.Invoke(options);
        var client = TableStorageCounterStore.CreateTableClient(options);
        return new TableStorageCounterStore(wrap is null ? client : wrap(client), options, meterFactory: meterFactory);
    }

    /// <summary>Gets a raw client of the fixture's table, for looking at what the store wrote.</summary>
    public TableClient RawTable() => new(ConnectionString, TableName);

    protected override async ValueTask<TableStorageCounterStore> CreateStoreAsync()
    {
        ConnectionString = Environment.GetEnvironmentVariable(ConnectionStringVariable) ?? await StartAzuriteAsync();
        return new TableStorageCounterStore(Options.Create(
            new TableStorageCounterStoreOptions { ConnectionString = ConnectionString, TableName = TableName }));
    }

    protected override async ValueTask DisposeStoreAsync()
    {
        if (azurite is not null)
        {
            await azurite.DisposeAsync();
        }
        else if (ConnectionString.Length > 0)
        {
            await RawTable().DeleteAsync();
        }
    }

    private async Task<string> StartAzuriteAsync()
    {
        var executable = EmulatorProcess.FindExecutable(
            "azurite-table", Path.Combine(TestEnvironment.RepositoryRoot, "node_modules", ".bin", "azurite-table"));
        if (executable is null)
        {
            throw new EmulatorNotFoundException(
                "Azurite is not installed: run `npm ci` in the repository root (package.json pins azurite 3.35.0), "
                + $"or set {ConnectionStringVariable} to a storage account's connection string.");
        }

        var port = EmulatorProcess.FreePort();
        azurite = await EmulatorProcess.StartAsync(
            executable,
            ["--tableHost", "127.0.0.1", "--tablePort", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
             "--inMemoryPersistence", "--disableTelemetry", "--skipApiVersionCheck"],
            port,
            TimeSpan.FromSeconds(60));

        return $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={DevelopmentKey};"
            + $"TableEndpoint=http://127.0.0.1:{port}/devstoreaccount1;";
    }
}

public sealed class TableStorageContractTests(AzuriteFixture fixture)
    : CounterStoreContractTests<TableStorageCounterStore>(fixture), IClassFixture<AzuriteFixture>;

public sealed class ContractCoverageTests
{
    [Fact]
    public void AzureStores_EachHaveContractTests() =>
        ContractCoverage.AssertEveryStoreIsCovered(typeof(TableStorageCounterStore).Assembly, typeof(ContractCoverageTests).Assembly);
}
