using Microsoft.Extensions.Logging;

namespace Counter.Diagnostics;

/// <summary>Core's log events. Event ids are stable: operators filter and alert on them.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1001, EventName = "StoreUnavailable", Level = LogLevel.Warning,
        Message = "The counter store failed a {Operation} after its retries")]
    public static partial void StoreUnavailable(ILogger logger, string operation, Exception exception);

    [LoggerMessage(EventId = 1002, EventName = "UnexpectedError", Level = LogLevel.Error,
        Message = "An unexpected error answered {Method} {Path} with 500")]
    public static partial void UnexpectedError(ILogger logger, string method, string path, Exception exception);
}
