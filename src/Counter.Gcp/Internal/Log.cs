using Microsoft.Extensions.Logging;

namespace Counter.Gcp.Internal;

/// <summary>The Firestore store's log events. Event ids are stable: operators filter and alert on them.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 5001, EventName = "FirestoreRetrying", Level = LogLevel.Debug,
        Message = "Retrying a Firestore {Operation} after {Status} (retry {Attempt})")]
    public static partial void Retrying(ILogger logger, string operation, string status, int attempt);

    [LoggerMessage(EventId = 5002, EventName = "FirestoreGaveUp", Level = LogLevel.Warning,
        Message = "Gave up a Firestore {Operation} after {Status} and {Retries} retries")]
    public static partial void GaveUp(ILogger logger, string operation, string status, int retries, Exception exception);

    [LoggerMessage(EventId = 5003, EventName = "FirestoreRelocationFailed", Level = LogLevel.Warning,
        Message = "Could not move a counter near the Int64 limits to its guarded document; the next increment past the margin retries")]
    public static partial void RelocationFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 5004, EventName = "FirestoreSaturationSuspected", Level = LogLevel.Error,
        Message = "An unguarded increment returned {Value}, an Int64 limit: Firestore may have saturated it")]
    public static partial void SaturationSuspected(ILogger logger, long value);
}
