using Amazon.DynamoDBv2.Model;
using Microsoft.Extensions.Options;

namespace Counter.Aws.Tests;

/// <summary>The store on tables shaped otherwise than the default: reserved-word attribute names, items without the value.</summary>
public sealed class DynamoDbTableShapeTests(MotoFixture fixture) : IClassFixture<MotoFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("id", "count", "ttl")]
    [InlineData("key", "value", "size")]
    public async Task Store_ReservedWordAttributeNames_Work(string key, string value, string expiresAt)
    {
        _ = fixture.Store;
        var options = new DynamoDbCounterStoreOptions
        {
            TableName = $"shape-{Guid.NewGuid():N}",
            KeyAttributeName = key,
            ValueAttributeName = value,
            ExpiresAtAttributeName = expiresAt,
        };
        await DynamoDbTestTables.CreateAsync(fixture.Client, options, enableTimeToLive: true);
        var service = new CounterService(new DynamoDbCounterStore(fixture.Client, Options.Create(options)));
        var keyed = new IncrementOptions { IdempotencyKey = "k" };

        Assert.Equal(2, (await service.IncrementAsync("n", 2, null, Cancel)).Value);
        Assert.Equal(new IncrementResult(5, false), await service.IncrementAsync("n", 3, keyed, Cancel));
        Assert.Equal(new IncrementResult(5, true), await service.IncrementAsync("n", 3, keyed, Cancel));
        await Assert.ThrowsAsync<CounterOutOfBoundsException>(
            () => service.IncrementAsync("n", 1, new IncrementOptions { Max = 5 }, Cancel).AsTask());
        await service.SetAsync("n", 40, Cancel);
        Assert.Equal(40, await service.GetAsync("n", Cancel));
        await service.DeleteAsync("n", Cancel);
        Assert.Equal(0, await service.GetAsync("n", Cancel));
        await service.CheckHealthAsync(Cancel);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Increment_ItemWithoutValueAttribute_StartsFromZero(bool keyed)
    {
        var name = CounterName.Parse($"bare-{Guid.NewGuid():N}");
        await fixture.Client.PutItemAsync(
            new PutItemRequest
            {
                TableName = fixture.Options.TableName,
                Item = new()
                {
                    [fixture.Options.KeyAttributeName] = new AttributeValue { S = name.StorageKey },
                    ["owner"] = new AttributeValue { S = "someone else's attribute" },
                },
            },
            Cancel);
        var service = new CounterService(fixture.Store);

        var result = await service.IncrementAsync(name, 4, keyed ? new IncrementOptions { IdempotencyKey = "k" } : null, Cancel);

        Assert.Equal(4, result.Value);
        var item = await ReadItemAsync(name);
        Assert.Equal("someone else's attribute", item.Item["owner"].S);
    }

    [Fact]
    public async Task Increment_RefusedOnMissingCounter_ReportsZeroAndCreatesNothing()
    {
        var name = CounterName.Parse($"never-{Guid.NewGuid():N}");

        var outcome = await fixture.Store.IncrementAsync(new IncrementRequest(name, -1, min: 0), Cancel);

        Assert.Equal(IncrementOutcome.OutOfBounds(0), outcome);
        var item = await ReadItemAsync(name);
        Assert.True(item.Item is null or { Count: 0 });
    }

    [Fact]
    public async Task Increment_NoCurrentValueAccepted_RefusesWithoutWriting()
    {
        // min = Int64.MaxValue with a negative delta: no current value could land there without overflowing.
        var name = CounterName.Parse($"empty-{Guid.NewGuid():N}");
        await fixture.Store.SetAsync(name, 3, Cancel);

        var outcome = await fixture.Store.IncrementAsync(new IncrementRequest(name, -1, min: long.MaxValue), Cancel);

        Assert.Equal(3, outcome.Value);
        Assert.NotEqual(IncrementStatus.Applied, outcome.Status);
        Assert.Equal(3, await fixture.Store.GetAsync(name, Cancel));
    }

    private Task<GetItemResponse> ReadItemAsync(CounterName name) => fixture.Client.GetItemAsync(
        fixture.Options.TableName, new() { [fixture.Options.KeyAttributeName] = new AttributeValue { S = name.StorageKey } }, Cancel);
}
