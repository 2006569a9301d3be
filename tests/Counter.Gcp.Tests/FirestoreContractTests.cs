using Counter.Testing;
using Microsoft.Extensions.Options;

namespace Counter.Gcp.Tests;

public sealed class FirestoreFixture : CounterStoreFixture<FirestoreCounterStore>
{
    private bool acquired;
    private FirestoreCounterStore? created;

    public string EmulatorHost { get; private set; } = string.Empty;

    public FirestoreCounterStoreOptions Options { get; } = new() { ProjectId = "counter-contract" };

    protected override async ValueTask<FirestoreCounterStore> CreateStoreAsync()
    {
        EmulatorHost = await FirestoreEmulator.AcquireAsync();
        acquired = true;
        Options.EmulatorHost = EmulatorHost;
        created = new FirestoreCounterStore(Microsoft.Extensions.Options.Options.Create(Options));
        return created;
    }

    protected override async ValueTask DisposeStoreAsync()
    {
        created?.Dispose();
        if (acquired)
        {
            await FirestoreEmulator.ReleaseAsync();
        }
    }
}

public sealed class FirestoreContractTests(FirestoreFixture fixture)
    : CounterStoreContractTests<FirestoreCounterStore>(fixture), IClassFixture<FirestoreFixture>;

public sealed class ContractCoverageTests
{
    [Fact]
    public void GcpStores_EachHaveContractTests() =>
        ContractCoverage.AssertEveryStoreIsCovered(typeof(FirestoreCounterStore).Assembly, typeof(ContractCoverageTests).Assembly);
}
