namespace Counter.Local;

/// <summary>The local host's log events, with stable ids.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3001, EventName = "LocalHostStarted", Level = LogLevel.Information,
        Message = "Counter is serving on {Addresses} with counters in {DatabasePath}")]
    public static partial void Started(ILogger logger, IEnumerable<string> addresses, string databasePath);
}
