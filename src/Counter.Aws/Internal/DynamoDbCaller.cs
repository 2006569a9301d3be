using System.Net;
using System.Net.Sockets;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Counter.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Counter.Aws.Internal;

/// <summary>Sends DynamoDB calls with the store's retry rules; every provider failure becomes a store-unavailable error.</summary>
/// <remarks>
/// The store does its own retries (the clients it creates have the SDK's turned off) because whether a call may be
/// repeated depends on the call: a throttled call was not applied and is always retried, but a plain increment whose
/// answer was lost (a timeout, a 5xx) may have been applied, and sending it again could count it twice. Such a call
/// fails at once with the store-unavailable error, which tells the caller to retry with an idempotency key.
/// </remarks>
internal sealed class DynamoDbCaller(DynamoDbCounterStoreOptions options, CounterMetrics metrics, ILogger logger, TimeProvider timeProvider)
{
    private static readonly HashSet<string> ThrottlingCodes = new(StringComparer.Ordinal)
    {
        "ProvisionedThroughputExceededException",
        "ThrottlingException",
        "Throttling",
        "RequestLimitExceeded",
        "TransactionInProgressException",
        "TransactionConflictException",
    };

    /// <summary>Sends <paramref name="call"/>, retrying throttling always and unknown outcomes only when <paramref name="repeatable"/>.</summary>
    /// <exception cref="CounterStoreUnavailableException">The call failed for good, or its outcome is unknown.</exception>
    public async Task<T> SendAsync<T>(string operation, bool repeatable, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            Exception failure;
            Failure kind;
            try
            {
                return await call(cancellationToken).ConfigureAwait(false);
            }
            catch (ConditionalCheckFailedException)
            {
                throw;
            }
            catch (TransactionCanceledException)
            {
                throw;
            }
            catch (AmazonServiceException ex)
            {
                (failure, kind) = (ex, Classify(ex));
            }
            catch (Exception ex) when (IsTransport(ex, cancellationToken))
            {
                (failure, kind) = (ex, Failure.Unknown);
            }

            var retry = kind == Failure.Throttled || (kind == Failure.Unknown && repeatable);
            if (!retry || attempt > options.MaxErrorRetries)
            {
                throw Unavailable(operation, attempt, kind, failure);
            }

            metrics.RecordStoreRetry(DynamoDbCounterStore.StoreName, kind == Failure.Throttled ? "throttled" : "transient");
            await DelayAsync(attempt, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Waits before retry <paramref name="attempt"/>: full jitter over an exponential ceiling (25 ms doubling, at most 1 s).</summary>
    public Task DelayAsync(int attempt, CancellationToken cancellationToken)
    {
        var ceiling = Math.Min(1000, 25 * Math.Pow(2, Math.Min(attempt - 1, 10)));
#pragma warning disable CA5394 // Jitter spreads retries apart; it needs no cryptographic randomness.
        var delay = TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * ceiling);
#pragma warning restore CA5394
        return Task.Delay(delay, timeProvider, cancellationToken);
    }

    private CounterStoreUnavailableException Unavailable(string operation, int attempts, Failure kind, Exception failure)
    {
        var code = failure is AmazonServiceException service ? service.ErrorCode ?? service.GetType().Name : failure.GetType().Name;
        var reason = kind switch
        {
            Failure.Throttled => $"throttled ({code}) on every retry",
            Failure.Unknown => $"no answer ({code}); an increment may or may not have been applied",
            _ => $"refused ({code}): {failure.Message}",
        };

        Log.CallFailed(logger, operation, attempts, reason, failure);
        var retryAfter = kind == Failure.Throttled ? TimeSpan.FromSeconds(2) : TimeSpan.FromSeconds(1);
        return new CounterStoreUnavailableException($"DynamoDB {operation} failed after {attempts} attempt(s): {reason}.", failure, retryAfter);
    }

    private static Failure Classify(AmazonServiceException ex)
    {
        if (ex.ErrorCode is { } code && ThrottlingCodes.Contains(code))
        {
            return Failure.Throttled;
        }

        return ex.StatusCode is 0 || (int)ex.StatusCode >= 500 || ex.InnerException is HttpRequestException or IOException
            ? Failure.Unknown
            : Failure.Refused;
    }

    private static bool IsTransport(Exception ex, CancellationToken cancellationToken) => ex switch
    {
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        AmazonClientException or HttpRequestException or IOException or SocketException or WebException or TimeoutException => true,
        _ => false,
    };

    private enum Failure
    {
        /// <summary>DynamoDB turned the call away unapplied (throttling, a conflicting transaction): safe to send again.</summary>
        Throttled,

        /// <summary>No answer, or a server error: the call may have been applied.</summary>
        Unknown,

        /// <summary>DynamoDB refused the call for a reason a retry will not change (no table, no permission, bad request).</summary>
        Refused,
    }
}
