using Counter.Testing;

namespace Counter.Aws.Tests;

public sealed class ContractCoverageTests
{
    [Fact]
    public void AwsStores_EachHaveContractTests() =>
        ContractCoverage.AssertEveryStoreIsCovered(typeof(DynamoDbCounterStore).Assembly, typeof(ContractCoverageTests).Assembly);
}
