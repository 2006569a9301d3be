using Microsoft.Extensions.Logging;

namespace Counter.Sqlite.Internal;

/// <summary>The SQLite store's log events, with stable ids.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 2001, EventName = "SqliteBatchCommitted", Level = LogLevel.Trace, Message = "Committed {Count} writes in one transaction")]
    public static partial void BatchCommitted(ILogger logger, int count);


    [LoggerMessage(EventId = 2003, EventName = "SqliteBatchFailed", Level = LogLevel.Error, Message = "A batch of {Count} writes failed and was rolled back")]
    public static partial void BatchFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(EventId = 2004, EventName = "SqliteRecordsPurged", Level = LogLevel.Debug, Message = "Purged {Count} expired idempotency records")]
    public static partial void RecordsPurged(ILogger logger, int count);

    [LoggerMessage(EventId = 2005, EventName = "SqlitePurgeFailed", Level = LogLevel.Warning, Message = "Purging expired idempotency records failed")]
    public static partial void PurgeFailed(ILogger logger, Exception exception);
}
