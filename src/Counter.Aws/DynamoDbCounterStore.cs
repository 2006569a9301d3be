using System.Diagnostics.Metrics;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Counter.Aws.Internal;
using Counter.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Counter.Aws;

/// <summary>A counter store on one DynamoDB table.</summary>
/// <remarks>
/// A plain increment is one conditional <c>UpdateItem</c> that adds the delta on the server and returns the new
/// value. An idempotent increment is a transaction with its record; see <c>DynamoDbCounterStore.Idempotency.cs</c>.
/// Every attribute goes through expression attribute names, so any attribute name works, reserved words included.
/// </remarks>
public sealed partial class DynamoDbCounterStore : ICounterStore
{
    internal const string StoreName = "dynamodb";

    // Storage keys are base64url and never hold '#', so this key is no counter's.
    private const string HealthCheckKey = "#health";

    private readonly IAmazonDynamoDB client;
    private readonly DynamoDbCounterStoreOptions options;
    private readonly DynamoDbCaller caller;
    private readonly CounterMetrics metrics;
    private readonly ILogger logger;

    /// <summary>Initializes a new instance of the <see cref="DynamoDbCounterStore"/> class.</summary>
    /// <param name="client">The client; the store does its own retries, so give it one with <c>MaxErrorRetry = 0</c>
    /// (<see cref="DynamoDbClientFactory.Create"/> makes one).</param>
    /// <param name="options">The table and its attribute names.</param>
    /// <param name="logger">Where retries that run out are logged.</param>
    /// <param name="meterFactory">Where retries are counted.</param>
    /// <param name="timeProvider">The clock that times the waits between retries.</param>
    public DynamoDbCounterStore(
        IAmazonDynamoDB client,
        IOptions<DynamoDbCounterStoreOptions> options,
        ILogger<DynamoDbCounterStore>? logger = null,
        IMeterFactory? meterFactory = null,
        TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);

        this.options = options.Value;
        this.options.Validate();
        this.client = client;
        this.logger = logger ?? (ILogger)NullLogger.Instance;
        metrics = CounterMetrics.For(meterFactory);
        caller = new DynamoDbCaller(this.options, metrics, this.logger, timeProvider ?? TimeProvider.System);

        Log.StoreCreated(
            this.logger, this.options.TableName, this.options.KeyAttributeName, this.options.ValueAttributeName, this.options.ExpiresAtAttributeName);
    }

    /// <inheritdoc/>
    public async ValueTask<IncrementOutcome> IncrementAsync(IncrementRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request.Name);

        return request.IdempotencyKey is { } key
            ? await IncrementOnceAsync(request, key, cancellationToken).ConfigureAwait(false)
            : await IncrementPlainAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<long> GetAsync(CounterName name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);

        return await ReadValueAsync(name.StorageKey, cancellationToken).ConfigureAwait(false) ?? 0;
    }

    /// <inheritdoc/>
    public async ValueTask SetAsync(CounterName name, long value, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);

        var request = new UpdateItemRequest
        {
            TableName = options.TableName,
            Key = KeyOf(name.StorageKey),
            UpdateExpression = "SET #v = :value",
            ExpressionAttributeNames = new() { ["#v"] = options.ValueAttributeName },
            ExpressionAttributeValues = new() { [":value"] = DynamoDbNumbers.ToAttribute(value) },
        };
        await caller.SendAsync("set", repeatable: true, ct => client.UpdateItemAsync(request, ct), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    /// <remarks>The counter's idempotency records stay until they expire, as they would in any store.</remarks>
    public async ValueTask DeleteAsync(CounterName name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);

        var request = new DeleteItemRequest { TableName = options.TableName, Key = KeyOf(name.StorageKey) };
        await caller.SendAsync("delete", repeatable: true, ct => client.DeleteItemAsync(request, ct), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    /// <remarks>Reads one item, so it checks the table, the credentials and the <c>GetItem</c> permission at once.</remarks>
    public async ValueTask CheckHealthAsync(CancellationToken cancellationToken)
    {
        var request = new GetItemRequest
        {
            TableName = options.TableName,
            Key = KeyOf(HealthCheckKey),
            ProjectionExpression = "#k",
            ExpressionAttributeNames = new() { ["#k"] = options.KeyAttributeName },
        };
        await caller.SendAsync("health check", repeatable: true, ct => client.GetItemAsync(request, ct), cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<IncrementOutcome> IncrementPlainAsync(IncrementRequest request, CancellationToken cancellationToken)
    {
        var key = request.Name.StorageKey;
        for (var attempt = 1; ; attempt++)
        {
            if (request.LowestAcceptedCurrent > request.HighestAcceptedCurrent)
            {
                // No current value can take this delta: nothing to write, only the value to report.
                return request.Refused(await ReadValueAsync(key, cancellationToken).ConfigureAwait(false) ?? 0);
            }

            // ADD treats a missing item or attribute as 0. The condition pins the current value to the interval that
            // both the caller's bounds and the Int64 range accept, so an out-of-range number is never stored.
            // Two comparisons rather than BETWEEN: moto 5.2 evaluates BETWEEN as false for a stored 0, which would
            // refuse every increment of a counter reset to 0; both forms mean the same to DynamoDB.
            var update = new UpdateItemRequest
            {
                TableName = options.TableName,
                Key = KeyOf(key),
                UpdateExpression = "ADD #v :delta",
                ConditionExpression = request.AcceptsMissingCounter
                    ? "attribute_not_exists(#v) OR (#v >= :lowest AND #v <= :highest)"
                    : "#v >= :lowest AND #v <= :highest",
                ExpressionAttributeNames = new() { ["#v"] = options.ValueAttributeName },
                ExpressionAttributeValues = new()
                {
                    [":delta"] = DynamoDbNumbers.ToAttribute(request.Delta),
                    [":lowest"] = DynamoDbNumbers.ToAttribute(request.LowestAcceptedCurrent),
                    [":highest"] = DynamoDbNumbers.ToAttribute(request.HighestAcceptedCurrent),
                },
                ReturnValues = ReturnValue.UPDATED_NEW,
                ReturnValuesOnConditionCheckFailure = ReturnValuesOnConditionCheckFailure.ALL_OLD,
            };

            long current;
            try
            {
                // Not repeatable: if the answer is lost the delta may have been added, and adding it again would count twice.
                var response = await caller.SendAsync("increment", repeatable: false, ct => client.UpdateItemAsync(update, ct), cancellationToken)
                    .ConfigureAwait(false);
                return IncrementOutcome.Applied(DynamoDbNumbers.Read(response.Attributes, options.ValueAttributeName)
                    ?? throw new InvalidDataException("DynamoDB answered an increment without the new value."));
            }
            catch (ConditionalCheckFailedException ex)
            {
                // The failed condition's response carries the item as it was (ALL_OLD). An item without the attribute is 0;
                // no item at all, or an endpoint that does not send it, leaves a consistent read to tell.
                current = ex.Item is { Count: > 0 } old
                    ? DynamoDbNumbers.Read(old, options.ValueAttributeName) ?? 0
                    : await ReadValueAsync(key, cancellationToken).ConfigureAwait(false) ?? 0;
            }

            if (!request.Accepts(current))
            {
                return request.Refused(current);
            }

            // Only a read after the refusal can land here: the value has moved into range since, so try again.
            RetryAfterConflict(attempt);
        }
    }

    private async Task<long?> ReadValueAsync(string key, CancellationToken cancellationToken)
    {
        var request = new GetItemRequest
        {
            TableName = options.TableName,
            Key = KeyOf(key),
            ConsistentRead = true,
            ProjectionExpression = "#v",
            ExpressionAttributeNames = new() { ["#v"] = options.ValueAttributeName },
        };
        var response = await caller.SendAsync("read", repeatable: true, ct => client.GetItemAsync(request, ct), cancellationToken)
            .ConfigureAwait(false);
        return DynamoDbNumbers.Read(response.Item, options.ValueAttributeName);
    }

    private Dictionary<string, AttributeValue> KeyOf(string key) => new() { [options.KeyAttributeName] = DynamoDbNumbers.ToAttribute(key) };
}
