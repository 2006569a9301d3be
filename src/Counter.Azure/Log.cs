using Microsoft.Extensions.Logging;

namespace Counter.Azure;

/// <summary>The Azure store's log events. Event ids are stable: operators filter and alert on them.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 4001, EventName = "TableStoreConfigured", Level = LogLevel.Information,
        Message = "Counters live in Azure table {TableName} at {Endpoint}")]
    public static partial void Configured(ILogger logger, string tableName, Uri endpoint);

    [LoggerMessage(EventId = 4002, EventName = "TableCreated", Level = LogLevel.Information,
        Message = "Created the missing counter table {TableName}")]
    public static partial void TableCreated(ILogger logger, string tableName);

    [LoggerMessage(EventId = 4003, EventName = "TableRetriesExhausted", Level = LogLevel.Warning,
        Message = "A counter {Operation} gave up after {Attempts} attempts ({Reason})")]
    public static partial void RetriesExhausted(ILogger logger, string operation, int attempts, string reason, Exception? exception);

    [LoggerMessage(EventId = 4004, EventName = "TableRequestRefused", Level = LogLevel.Error,
        Message = "The table service refused a counter {Operation}; retrying will not help")]
    public static partial void Refused(ILogger logger, string operation, Exception exception);
}
