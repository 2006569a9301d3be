using Counter.Stores;
using Counter.Testing;

namespace Counter.Core.Tests;

public sealed class InMemoryStoreFixture : CounterStoreFixture<InMemoryCounterStore>
{
    protected override ValueTask<InMemoryCounterStore> CreateStoreAsync() => ValueTask.FromResult(new InMemoryCounterStore());
}

public sealed class InMemoryStoreContractTests(InMemoryStoreFixture fixture)
    : CounterStoreContractTests<InMemoryCounterStore>(fixture), IClassFixture<InMemoryStoreFixture>;

public sealed class ContractCoverageTests
{
    [Fact]
    public void CoreStores_EachHaveContractTests() =>
        ContractCoverage.AssertEveryStoreIsCovered(typeof(InMemoryCounterStore).Assembly, typeof(ContractCoverageTests).Assembly);
}
