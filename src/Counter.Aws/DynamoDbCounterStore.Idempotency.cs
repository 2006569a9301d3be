using System.Globalization;
using Amazon.DynamoDBv2.Model;
using Counter.Aws.Internal;

namespace Counter.Aws;

// An idempotent increment has to commit the counter and its record together, and still return the exact new
// value. TransactWriteItems commits both atomically but returns no item values, so the transaction cannot use
// ADD and report what it produced. Instead each attempt:
//   1. reads the counter (consistent), then the record (consistent). A live record means the key was applied
//      before: replay its value. Reading the counter first matters: records only ever appear, so a record that is
//      absent on the second read was absent on the first too, and a refusal based on the counter's value is right.
//   2. refuses when the bounds or the Int64 range do not accept the value read.
//   3. writes, in one transaction: the record (condition: absent or expired) holding read + delta, and the counter
//      set to read + delta (condition: still equal to the value read, or still missing). If the transaction
//      commits, nobody changed the counter in between, so read + delta is exactly the value after the increment.
//   4. when the transaction is cancelled, goes back to 1: a concurrent call with the same key has committed (the
//      re-read replays it) or another increment changed the counter (the re-read sees the new value).
// Step 4 is an optimistic retry and is bounded by MaxConflictRetries; a hot counter takes idempotent increments
// one commit at a time. Plain increments do not pay this: they stay a single ADD.
public sealed partial class DynamoDbCounterStore
{
    private async ValueTask<IncrementOutcome> IncrementOnceAsync(IncrementRequest request, string idempotencyKey, CancellationToken cancellationToken)
    {
        var counterKey = request.Name.StorageKey;
        var recordKey = RecordKey(counterKey, idempotencyKey);
        var now = request.Now.ToUnixTimeSeconds();

        for (var attempt = 1; ; attempt++)
        {
            var current = await ReadValueAsync(counterKey, cancellationToken).ConfigureAwait(false);
            if (await ReadLiveRecordAsync(recordKey, now, cancellationToken).ConfigureAwait(false) is { } firstValue)
            {
                return IncrementOutcome.Replayed(firstValue);
            }

            if (!request.Accepts(current ?? 0))
            {
                return request.Refused(current ?? 0);
            }

            var next = (current ?? 0) + request.Delta;
            try
            {
                var transaction = CommitTransaction(request, counterKey, recordKey, current, next);
                await caller.SendAsync(
                        "idempotent increment", repeatable: true, ct => client.TransactWriteItemsAsync(transaction, ct), cancellationToken)
                    .ConfigureAwait(false);
                return IncrementOutcome.Applied(next);
            }
            catch (TransactionCanceledException ex) when (RecordAlreadyWritten(ex))
            {
                // Another call with this key committed first; the next read replays it, with no need to wait. Still
                // bounded: a foreign item under the record's key (say, one without the expiry) would never replay.
                RetryAfterConflict(attempt);
            }
            catch (TransactionCanceledException)
            {
                RetryAfterConflict(attempt);
                await caller.DelayAsync(attempt, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private TransactWriteItemsRequest CommitTransaction(IncrementRequest request, string counterKey, string recordKey, long? current, long next)
    {
        var record = new Put
        {
            TableName = options.TableName,
            Item = new()
            {
                [options.KeyAttributeName] = DynamoDbNumbers.ToAttribute(recordKey),
                [options.ValueAttributeName] = DynamoDbNumbers.ToAttribute(next),
                [options.ExpiresAtAttributeName] = DynamoDbNumbers.ToAttribute(ExpirySeconds(request.IdempotencyExpiresAt)),
            },
            ConditionExpression = "attribute_not_exists(#k) OR #e <= :now",
            ExpressionAttributeNames = new() { ["#k"] = options.KeyAttributeName, ["#e"] = options.ExpiresAtAttributeName },
            ExpressionAttributeValues = new() { [":now"] = DynamoDbNumbers.ToAttribute(request.Now.ToUnixTimeSeconds()) },
        };

        var counter = new Update
        {
            TableName = options.TableName,
            Key = KeyOf(counterKey),
            UpdateExpression = "SET #v = :next",
            ConditionExpression = current is null ? "attribute_not_exists(#v)" : "#v = :read",
            ExpressionAttributeNames = new() { ["#v"] = options.ValueAttributeName },
            ExpressionAttributeValues = new() { [":next"] = DynamoDbNumbers.ToAttribute(next) },
        };
        if (current is { } read)
        {
            counter.ExpressionAttributeValues[":read"] = DynamoDbNumbers.ToAttribute(read);
        }

        return new TransactWriteItemsRequest
        {
            TransactItems = [new TransactWriteItem { Put = record }, new TransactWriteItem { Update = counter }],

            // A retry of a transaction whose answer was lost then returns the first outcome instead of failing its conditions.
            ClientRequestToken = Guid.NewGuid().ToString("N"),
        };
    }

    /// <summary>Reads a record's first value, treating an expired record as absent: TTL deletes expired items only eventually.</summary>
    private async Task<long?> ReadLiveRecordAsync(string recordKey, long now, CancellationToken cancellationToken)
    {
        var request = new GetItemRequest
        {
            TableName = options.TableName,
            Key = KeyOf(recordKey),
            ConsistentRead = true,
            ProjectionExpression = "#v, #e",
            ExpressionAttributeNames = new() { ["#v"] = options.ValueAttributeName, ["#e"] = options.ExpiresAtAttributeName },
        };
        var response = await caller.SendAsync("read", repeatable: true, ct => client.GetItemAsync(request, ct), cancellationToken)
            .ConfigureAwait(false);

        var expiresAt = DynamoDbNumbers.Read(response.Item, options.ExpiresAtAttributeName);
        return expiresAt > now ? DynamoDbNumbers.Read(response.Item, options.ValueAttributeName) : null;
    }

    /// <summary>Counts a lost race, or gives up when there were too many.</summary>
    /// <exception cref="CounterStoreUnavailableException">The counter kept changing under every attempt.</exception>
    private void RetryAfterConflict(int attempt)
    {
        if (attempt > options.MaxConflictRetries)
        {
            Log.ConflictRetriesExhausted(logger, attempt);
            throw new CounterStoreUnavailableException(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"The counter changed under each of {attempt} attempts to increment it; it is too hot right now."),
                retryAfter: TimeSpan.FromSeconds(1));
        }

        metrics.RecordStoreRetry(StoreName, "conflict");
    }

    private static bool RecordAlreadyWritten(TransactionCanceledException ex) =>
        ex.CancellationReasons is { Count: > 0 } reasons && reasons[0].Code == "ConditionalCheckFailed";

    // A record key is the counter's key, '#', and the idempotency key; no counter key holds '#', and the first '#'
    // ends the counter's part, so no two (counter, key) pairs share a record.
    internal static string RecordKey(string counterKey, string idempotencyKey) => counterKey + "#" + idempotencyKey;

    // TTL wants whole epoch seconds. Rounding up keeps a key at most one second longer than asked, never shorter; the
    // expiry checks above compare in the same whole seconds, so reads and the transaction's condition agree.
    internal static long ExpirySeconds(DateTimeOffset expiresAt)
    {
        var milliseconds = expiresAt.ToUnixTimeMilliseconds();
        return (milliseconds / 1000) + (milliseconds % 1000 > 0 ? 1 : 0);
    }
}
