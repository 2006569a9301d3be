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
    /// <param name="client">The client; the store does its own retries, so it must have <c>MaxErrorRetry = 0</c>
    /// (<see cref="DynamoDbClientFactory.Create"/> makes one).</param>
    /// <param name="options">The table and its attribute names.</param>
    /// <param name="logger">Where retries that run out are logged.</param>
    /// <param name="meterFactory">Where retries are counted.</param>
    /// <param name="timeProvider">The clock that times the waits between retries.</param>
    /// <exception cref="ArgumentException">The client retries on its own (its <c>Config.MaxErrorRetry</c> is not 0).</exception>
    public DynamoDbCounterStore(
        IAmazonDynamoDB client,
        IOptions<DynamoDbCounterStoreOptions> options,
        ILogger<DynamoDbCounterStore>? logger = null,
        IMeterFactory? meterFactory = null,
        TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        ThrowIfClientRetries(client);

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
        // Not repeatable: if the answer is lost the set may have landed, and sending it again would undo whatever was
        // acknowledged since (an increment answered 101 would go back to 100). Throttling, never applied, is still retried.
        await caller.SendAsync("set", repeatable: false, ct => client.UpdateItemAsync(request, ct), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    /// <remarks>The counter's idempotency records stay until they expire, as they would in any store.</remarks>
    public async ValueTask DeleteAsync(CounterName name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);

        var request = new DeleteItemRequest { TableName = options.TableName, Key = KeyOf(name.StorageKey) };
        // Not repeatable, for the same reason as a set: a second delete would erase a counter recreated in between.
        await caller.SendAsync("delete", repeatable: false, ct => client.DeleteItemAsync(request, ct), cancellationToken).ConfigureAwait(false);
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
                return IncrementOutcome.Applied(NewValueOf(response));
            }
            catch (ConditionalCheckFailedException ex)
            {
                // The failed condition's response carries the item as it was (ALL_OLD). An item without the attribute is 0;
                // no item at all, or an endpoint that does not send it, leaves a consistent read to tell.
                current = ex.Item is { Count: > 0 } old
                    ? ReadNumber(old, options.ValueAttributeName) ?? 0
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
        return ReadNumber(response.Item, options.ValueAttributeName);
    }

    /// <summary>Reads the value a successful <c>ADD</c> answered with.</summary>
    /// <exception cref="CounterStoreUnavailableException">The answer holds no 64-bit integer, though the delta was added.</exception>
    private long NewValueOf(UpdateItemResponse response)
    {
        InvalidDataException failure;
        try
        {
            if (DynamoDbNumbers.Read(response.Attributes, options.ValueAttributeName) is { } value)
            {
                return value;
            }

            failure = new InvalidDataException($"The answer holds no attribute '{options.ValueAttributeName}'.");
        }
        catch (InvalidDataException ex)
        {
            failure = ex;
        }

        // The call succeeded, so the delta was added, but nobody can tell the caller what it produced; nor may the
        // store send it again. The caller learns that the outcome is unknown, as after a lost answer.
        Log.UnreadableAnswer(logger, "increment", failure);
        throw new CounterStoreUnavailableException(
            $"DynamoDB answered the increment without a readable new value ({failure.Message}); "
                + "the increment may have been applied (outcome unknown). Retry with an idempotency key.",
            failure);
    }

    /// <summary>Reads a number attribute of an item; a missing one is <see langword="null"/>.</summary>
    /// <exception cref="CounterStoreUnavailableException">The attribute is not a 64-bit integer; nothing was written.</exception>
    private long? ReadNumber(Dictionary<string, AttributeValue>? item, string attribute)
    {
        try
        {
            return DynamoDbNumbers.Read(item, attribute);
        }
        catch (InvalidDataException ex)
        {
            Log.UnreadableAnswer(logger, "read", ex);
            throw new CounterStoreUnavailableException($"DynamoDB holds a value the store cannot read ({ex.Message}); nothing was written.", ex);
        }
    }

    /// <summary>Refuses a client with the SDK's retries on: they would send a plain <c>ADD</c> again after a lost answer.</summary>
    private static void ThrowIfClientRetries(IAmazonDynamoDB client)
    {
        // A test double may have no configuration; every SDK client has one.
        if (client.Config is { MaxErrorRetry: not 0 } config)
        {
            throw new ArgumentException(
                $"The DynamoDB client retries failed calls itself (MaxErrorRetry = {config.MaxErrorRetry}), so after a timeout or a 5xx "
                    + "it would send a plain increment again and count it twice. Create the client with "
                    + "DynamoDbClientFactory.Create, or set MaxErrorRetry = 0 in its AmazonDynamoDBConfig; the store does its own retries.",
                nameof(client));
        }
    }

    private Dictionary<string, AttributeValue> KeyOf(string key) => new() { [options.KeyAttributeName] = DynamoDbNumbers.ToAttribute(key) };
}
