using Microsoft.Extensions.Logging;

namespace Counter.Gcp.CloudRun;

/// <summary>The Cloud Run host's log events. Event ids are stable: operators filter and alert on them.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 5101, EventName = "CloudRunStarting", Level = LogLevel.Information,
        Message = "Serving Counter on 0.0.0.0:{Port} over Firestore project {ProjectId}, database {DatabaseId}, "
            + "collection {Collection}, emulator {EmulatorHost}")]
    public static partial void Starting(ILogger logger, int port, string projectId, string databaseId, string collection, string emulatorHost);
}
