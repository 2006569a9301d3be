using Amazon.Runtime;
using Counter.Testing;

namespace Counter.Aws.Tests;

/// <summary>How the store retries and fails: throttling is retried, an increment of unknown outcome is not, nothing from the SDK escapes.</summary>
public sealed class DynamoDbFailureTests
{
    private static readonly CounterName Name = CounterName.Parse("c");

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Get_ThrottledEveryTime_RetriesThenThrowsUnavailable()
    {
        await using var stub = new StubDynamoDb((_, _) => (400, StubDynamoDb.Error("ProvisionedThroughputExceededException")));
        var store = stub.CreateStore();

        var error = await Assert.ThrowsAsync<CounterStoreUnavailableException>(() => store.GetAsync(Name, Cancel).AsTask());

        Assert.Equal(4, stub.Calls("GetItem"));
        Assert.Equal(TimeSpan.FromSeconds(2), error.RetryAfter);
        Assert.IsAssignableFrom<AmazonServiceException>(error.InnerException);
        Assert.Contains("throttled", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Increment_ThrottledTwiceThenApplied_ReturnsTheNewValue()
    {
        await using var stub = new StubDynamoDb((_, i) => i < 2
            ? (400, StubDynamoDb.Error("ThrottlingException"))
            : (200, "{\"Attributes\":{\"value\":{\"N\":\"9\"}}}"));
        var store = stub.CreateStore();

        var outcome = await store.IncrementAsync(new IncrementRequest(Name, 1), Cancel);

        Assert.Equal(IncrementOutcome.Applied(9), outcome);
        Assert.Equal(3, stub.Calls("UpdateItem"));
    }

    [Fact]
    public async Task Increment_ServerError_IsNotRetriedBecauseItMayHaveApplied()
    {
        await using var stub = new StubDynamoDb((_, _) => (500, StubDynamoDb.Error("InternalServerError")));
        var store = stub.CreateStore();

        var error = await Assert.ThrowsAsync<CounterStoreUnavailableException>(
            () => store.IncrementAsync(new IncrementRequest(Name, 1), Cancel).AsTask());

        Assert.Equal(1, stub.Calls("UpdateItem"));
        Assert.Contains("may or may not have been applied", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Set_ServerError_IsRetriedBecauseRepeatingItIsHarmless()
    {
        await using var stub = new StubDynamoDb((_, _) => (500, StubDynamoDb.Error("InternalServerError")));
        var store = stub.CreateStore();

        await Assert.ThrowsAsync<CounterStoreUnavailableException>(() => store.SetAsync(Name, 5, Cancel).AsTask());

        Assert.Equal(4, stub.Calls("UpdateItem"));
    }

    [Fact]
    public async Task Get_MissingTable_ThrowsUnavailableAtOnce()
    {
        await using var stub = new StubDynamoDb((_, _) => (400, StubDynamoDb.Error("ResourceNotFoundException", "Requested resource not found")));
        var store = stub.CreateStore();

        var error = await Assert.ThrowsAsync<CounterStoreUnavailableException>(() => store.GetAsync(Name, Cancel).AsTask());

        Assert.Equal(1, stub.Calls("GetItem"));
        Assert.Contains("ResourceNotFoundException", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IdempotentIncrement_CounterChangesUnderEveryAttempt_GivesUpAfterTheBound()
    {
        // Every read finds nothing and every transaction loses on the counter's condition, as under endless contention.
        await using var stub = new StubDynamoDb((operation, _) => operation == "TransactWriteItems"
            ? (400, "{\"__type\":\"com.amazonaws.dynamodb.v20120810#TransactionCanceledException\",\"message\":\"Transaction cancelled\","
                + "\"CancellationReasons\":[{\"Code\":\"None\"},"
                + "{\"Code\":\"ConditionalCheckFailed\",\"Message\":\"The conditional request failed\"}]}")
            : (200, "{}"));
        var store = stub.CreateStore(o => o.MaxConflictRetries = 3);
        var now = DateTimeOffset.UtcNow;
        var request = new IncrementRequest(Name, 1, idempotencyKey: "k", now: now, idempotencyExpiresAt: now.AddHours(1));

        var error = await Assert.ThrowsAsync<CounterStoreUnavailableException>(() => store.IncrementAsync(request, Cancel).AsTask());

        Assert.Equal(4, stub.Calls("TransactWriteItems"));
        Assert.Contains("changed under each", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Increment_FailedConditionSendsOldItem_RefusesWithItsValueWithoutReading()
    {
        await using var stub = new StubDynamoDb((_, _) =>
            (400, "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException\",\"message\":\"failed\","
                + "\"Item\":{\"pk\":{\"S\":\"Yw\"},\"value\":{\"N\":\"5\"}}}"));
        var store = stub.CreateStore();

        var outcome = await store.IncrementAsync(new IncrementRequest(Name, 1, max: 5), Cancel);

        Assert.Equal(IncrementOutcome.OutOfBounds(5), outcome);
        Assert.Equal(0, stub.Calls("GetItem"));
    }

    [Fact]
    public async Task Increment_FailedConditionWithoutItemThenValueMovedIntoRange_ReadsAndTriesAgain()
    {
        // An endpoint that sends no old item (dynalite) leaves a consistent read; here the value moved back into range.
        await using var stub = new StubDynamoDb((operation, i) => (operation, i) switch
        {
            ("UpdateItem", 0) => (400, StubDynamoDb.Error("ConditionalCheckFailedException")),
            ("UpdateItem", _) => (200, "{\"Attributes\":{\"value\":{\"N\":\"4\"}}}"),
            _ => (200, "{\"Item\":{\"value\":{\"N\":\"3\"}}}"),
        });
        var store = stub.CreateStore();

        var outcome = await store.IncrementAsync(new IncrementRequest(Name, 1, max: 5), Cancel);

        Assert.Equal(IncrementOutcome.Applied(4), outcome);
        Assert.Equal((2, 1), (stub.Calls("UpdateItem"), stub.Calls("GetItem")));
    }

    [Fact]
    public async Task Get_NothingListening_ThrowsUnavailable()
    {
        var port = EmulatorProcess.FreePort();
        var options = new DynamoDbCounterStoreOptions { ServiceUrl = new Uri($"http://127.0.0.1:{port}"), Region = "us-east-1", MaxErrorRetries = 1 };
        using var client = DynamoDbClientFactory.Create(options, new BasicAWSCredentials("test", "test"));
        var store = new DynamoDbCounterStore(client, Microsoft.Extensions.Options.Options.Create(options));

        await Assert.ThrowsAsync<CounterStoreUnavailableException>(() => store.GetAsync(Name, Cancel).AsTask());
        await Assert.ThrowsAsync<CounterStoreUnavailableException>(() => store.IncrementAsync(new IncrementRequest(Name, 1), Cancel).AsTask());
    }

    [Theory]
    [InlineData(1_000L, 1L)]
    [InlineData(1_001L, 2L)]
    [InlineData(1_999L, 2L)]
    [InlineData(0L, 0L)]
    public void ExpirySeconds_RoundsUp_SoAKeyIsNeverForgottenEarly(long milliseconds, long seconds)
    {
        Assert.Equal(seconds, DynamoDbCounterStore.ExpirySeconds(DateTimeOffset.FromUnixTimeMilliseconds(milliseconds)));
    }

    [Fact]
    public void RecordKey_CannotEqualACounterKey()
    {
        var key = DynamoDbCounterStore.RecordKey(CounterName.Parse("a").StorageKey, "k#1");

        Assert.Equal("YQ#k#1", key);
        Assert.Throws<FormatException>(() => CounterStorageKey.Decode(key));
    }
}
