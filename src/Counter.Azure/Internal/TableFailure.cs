using Azure;
using Azure.Identity;

namespace Counter.Azure.Internal;

/// <summary>What a failed call to the table service means for the operation that made it.</summary>
internal enum TableFailure
{
    /// <summary>Not a storage failure: a bug, or the caller cancelled. Let it through.</summary>
    None,

    /// <summary>A conditional write lost to another writer (412, 409, or 404 for an entity deleted meanwhile).</summary>
    Conflict,

    /// <summary>The service refused the request without doing it (429, 503 server busy).</summary>
    Throttled,

    /// <summary>The request may or may not have been carried out (timeout, 500, 502, 504, connection lost).</summary>
    Ambiguous,

    /// <summary>The table does not exist.</summary>
    TableMissing,

    /// <summary>Retrying will not help: bad credentials, forbidden, a malformed request.</summary>
    Fatal,
}

/// <summary>Sorts exceptions from the Tables SDK into <see cref="TableFailure"/>s.</summary>
internal static class TableFailures
{
    public static TableFailure Classify(Exception exception, CancellationToken cancellationToken) => exception switch
    {
        OperationCanceledException when cancellationToken.IsCancellationRequested => TableFailure.None,
        RequestFailedException { ErrorCode: "TableNotFound" } => TableFailure.TableMissing,
        RequestFailedException { Status: 409 or 412 or 404 } => TableFailure.Conflict,
        RequestFailedException { Status: 429 or 503 } => TableFailure.Throttled,
        RequestFailedException { Status: 0 or 408 or 500 or 502 or 504 } => TableFailure.Ambiguous,
        RequestFailedException => TableFailure.Fatal,
        AuthenticationFailedException => TableFailure.Fatal,

        // The SDK's own network timeout surfaces as a cancellation the caller did not ask for.
        OperationCanceledException or TimeoutException or IOException or HttpRequestException => TableFailure.Ambiguous,
        _ => TableFailure.None,
    };

    /// <summary>Gets the delay the service asked for in a Retry-After header, if any.</summary>
    public static TimeSpan? RetryAfter(Exception exception)
    {
        if (exception is RequestFailedException failed
            && failed.GetRawResponse() is { } response
            && response.Headers.TryGetValue("Retry-After", out var value)
            && int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds))
        {
            return TimeSpan.FromSeconds(seconds);
        }

        return null;
    }
}
