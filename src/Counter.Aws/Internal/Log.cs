using Microsoft.Extensions.Logging;

namespace Counter.Aws.Internal;

/// <summary>Counter.Aws's log events. Event ids are stable: operators filter and alert on them.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3001, EventName = "DynamoDbStoreCreated", Level = LogLevel.Information,
        Message = "DynamoDB counter store on table {Table} (key {KeyAttribute}, value {ValueAttribute}, expiry {ExpiresAtAttribute})")]
    public static partial void StoreCreated(ILogger logger, string table, string keyAttribute, string valueAttribute, string expiresAtAttribute);

    [LoggerMessage(EventId = 3002, EventName = "DynamoDbCallFailed", Level = LogLevel.Warning,
        Message = "DynamoDB {Operation} failed after {Attempts} attempt(s): {Reason}")]
    public static partial void CallFailed(ILogger logger, string operation, int attempts, string reason, Exception exception);

    [LoggerMessage(EventId = 3003, EventName = "DynamoDbConflictRetriesExhausted", Level = LogLevel.Warning,
        Message = "An idempotent increment lost the race for its counter {Attempts} times in a row and gave up")]
    public static partial void ConflictRetriesExhausted(ILogger logger, int attempts);

    [LoggerMessage(EventId = 3004, EventName = "LambdaStarted", Level = LogLevel.Information,
        Message = "Counter Lambda started on table {Table} in region {Region}")]
    public static partial void LambdaStarted(ILogger logger, string table, string region);
}
