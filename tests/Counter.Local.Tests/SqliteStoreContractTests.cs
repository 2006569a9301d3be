using Counter.Sqlite;
using Counter.Testing;
using Microsoft.Extensions.Options;

namespace Counter.Local.Tests;

public sealed class SqliteStoreFixture : CounterStoreFixture<SqliteCounterStore>
{
    private readonly TemporaryDatabase database = new();
    private SqliteCounterStore? store;

    protected override ValueTask<SqliteCounterStore> CreateStoreAsync()
    {
        store = new SqliteCounterStore(Options.Create(new SqliteCounterStoreOptions { DatabasePath = database.Path }));
        return ValueTask.FromResult(store);
    }

    protected override async ValueTask DisposeStoreAsync()
    {
        if (store is not null)
        {
            await store.DisposeAsync();
        }

        database.Dispose();
    }
}

public sealed class SqliteStoreContractTests(SqliteStoreFixture fixture)
    : CounterStoreContractTests<SqliteCounterStore>(fixture), IClassFixture<SqliteStoreFixture>;

public sealed class ContractCoverageTests
{
    [Fact]
    public void SqliteStores_EachHaveContractTests() =>
        ContractCoverage.AssertEveryStoreIsCovered(typeof(SqliteCounterStore).Assembly, typeof(ContractCoverageTests).Assembly);
}
