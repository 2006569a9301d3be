namespace Counter.Aws.Tests;

/// <summary>An answer the store cannot read becomes a store-unavailable error, never a raw exception.</summary>
public sealed class DynamoDbMalformedAnswerTests
{
    private static readonly CounterName Name = CounterName.Parse("c");

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"Attributes\":{}}")]
    [InlineData("{\"Attributes\":{\"value\":{\"N\":\"2.5\"}}}")]
    [InlineData("{\"Attributes\":{\"value\":{\"N\":\"99999999999999999999\"}}}")]
    public async Task Increment_AppliedButNewValueUnreadable_ThrowsUnavailableSayingItMayHaveApplied(string answer)
    {
        await using var stub = new StubDynamoDb((_, _) => (200, answer));
        var store = stub.CreateStore();

        var error = await Assert.ThrowsAsync<CounterStoreUnavailableException>(
            () => store.IncrementAsync(new IncrementRequest(Name, 1), Cancel).AsTask());

        Assert.Equal(1, stub.Calls("UpdateItem"));
        Assert.Contains("may have been applied", error.Message, StringComparison.Ordinal);
        Assert.Contains("outcome unknown", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_StoredValueNotAnInteger_ThrowsUnavailable()
    {
        await using var stub = new StubDynamoDb((_, _) => (200, "{\"Item\":{\"value\":{\"N\":\"1.5\"}}}"));
        var store = stub.CreateStore();

        var error = await Assert.ThrowsAsync<CounterStoreUnavailableException>(() => store.GetAsync(Name, Cancel).AsTask());

        Assert.IsType<InvalidDataException>(error.InnerException);
    }

    [Fact]
    public async Task Increment_FailedConditionOldValueNotAnInteger_ThrowsUnavailable()
    {
        await using var stub = new StubDynamoDb((_, _) =>
            (400, "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException\",\"message\":\"failed\","
                + "\"Item\":{\"pk\":{\"S\":\"Yw\"},\"value\":{\"N\":\"5.5\"}}}"));
        var store = stub.CreateStore();

        var error = await Assert.ThrowsAsync<CounterStoreUnavailableException>(
            () => store.IncrementAsync(new IncrementRequest(Name, 1, max: 5), Cancel).AsTask());

        Assert.IsType<InvalidDataException>(error.InnerException);
    }

    [Fact]
    public async Task IdempotentIncrement_RecordExpiryNotAnInteger_ThrowsUnavailableWithoutWriting()
    {
        await using var stub = new StubDynamoDb((operation, i) => (operation, i) switch
        {
            ("GetItem", 0) => (200, "{\"Item\":{\"value\":{\"N\":\"3\"}}}"),
            ("GetItem", _) => (200, "{\"Item\":{\"value\":{\"N\":\"4\"},\"expiresAt\":{\"N\":\"soon\"}}}"),
            _ => (200, "{}"),
        });
        var store = stub.CreateStore();
        var now = DateTimeOffset.UtcNow;
        var request = new IncrementRequest(Name, 1, idempotencyKey: "k", now: now, idempotencyExpiresAt: now.AddHours(1));

        await Assert.ThrowsAsync<CounterStoreUnavailableException>(() => store.IncrementAsync(request, Cancel).AsTask());

        Assert.Equal(0, stub.Calls("TransactWriteItems"));
    }
}
