using System.Diagnostics.Metrics;
using Azure;
using Azure.Data.Tables;
using Azure.Identity;
using Counter.Azure.Internal;
using Counter.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Counter.Azure;

/// <summary>A counter store on Azure Table Storage (or Azurite): one entity per counter, in its own partition.</summary>
/// <remarks>
/// Table Storage has no server-side increment, so an increment reads the counter and writes the new value on the
/// condition that its ETag is unchanged, retrying with jittered pauses when another writer won. An idempotency record
/// lives in the counter's partition and commits with the counter in one entity-group transaction.
/// Table Storage has no TTL: an expired record counts as absent and is overwritten when its key comes back, but is
/// otherwise left in the table (see docs/azure.md for cleaning up counters that see many distinct keys).
/// </remarks>
public sealed partial class TableStorageCounterStore : ICounterStore
{
    private const string StoreTag = "tables";

    private readonly TableClient table;
    private readonly TableStorageCounterStoreOptions options;
    private readonly TimeProvider timeProvider;
    private readonly ILogger logger;
    private readonly CounterMetrics metrics;
    private volatile bool tableExists;

    /// <summary>Initializes a new instance of the <see cref="TableStorageCounterStore"/> class from settings.</summary>
    /// <exception cref="ArgumentException">The settings give neither a connection string nor a table service URI.</exception>
    public TableStorageCounterStore(
        IOptions<TableStorageCounterStoreOptions> options,
        TimeProvider? timeProvider = null,
        ILogger<TableStorageCounterStore>? logger = null,
        IMeterFactory? meterFactory = null)
        : this(CreateTableClient(options?.Value!), options?.Value!, timeProvider, logger, meterFactory)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="TableStorageCounterStore"/> class over a table client.</summary>
    /// <remarks>
    /// The store does its own retries, knowing which failures are safe to repeat; give it a client whose SDK retries
    /// are off, as <see cref="CreateTableClient"/> makes.
    /// </remarks>
    public TableStorageCounterStore(
        TableClient table,
        TableStorageCounterStoreOptions? options = null,
        TimeProvider? timeProvider = null,
        ILogger<TableStorageCounterStore>? logger = null,
        IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        options ??= new TableStorageCounterStoreOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxConflictAttempts, 1, "options.MaxConflictAttempts");
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxTransientRetries, "options.MaxTransientRetries");

        this.table = table;
        this.options = options;
        this.timeProvider = timeProvider ?? TimeProvider.System;
        this.logger = logger ?? (ILogger)NullLogger.Instance;
        metrics = CounterMetrics.For(meterFactory);
        Log.Configured(this.logger, table.Name, table.Uri);
    }

    /// <summary>Builds a table client from settings, with the SDK's own retries off and the request timeout applied.</summary>
    /// <exception cref="ArgumentException">The settings give neither a connection string nor a table service URI.</exception>
    public static TableClient CreateTableClient(TableStorageCounterStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.TableName, "options.TableName");

        var clientOptions = new TableClientOptions();
        clientOptions.Retry.MaxRetries = 0;
        clientOptions.Retry.NetworkTimeout = options.RequestTimeout;

        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            return new TableClient(options.ConnectionString, options.TableName, clientOptions);
        }

        if (options.TableServiceUri is { } endpoint)
        {
            var credential = options.Credential ?? new DefaultAzureCredential(
                new DefaultAzureCredentialOptions { ManagedIdentityClientId = options.ManagedIdentityClientId });
            return new TableClient(endpoint, options.TableName, credential, clientOptions);
        }

        throw new ArgumentException(
            "Set TableStorageCounterStoreOptions.ConnectionString or TableServiceUri to say where the counter table is.",
            nameof(options));
    }

    /// <inheritdoc/>
    public async ValueTask<long> GetAsync(CounterName name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);

        var entity = await RunAsync(
            "get",
            ct => table.GetEntityIfExistsAsync<TableEntity>(name.StorageKey, TableKeys.CounterRow, cancellationToken: ct),
            cancellationToken).ConfigureAwait(false);
        return entity.HasValue ? entity.Value!.GetInt64(TableKeys.Value) ?? 0 : 0;
    }

    /// <inheritdoc/>
    public async ValueTask SetAsync(CounterName name, long value, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);

        // Replace (not merge) drops the last writer's operation id: an increment in doubt must not take this as its own.
        var entity = new TableEntity(name.StorageKey, TableKeys.CounterRow) { [TableKeys.Value] = value };
        await RunAsync("set", ct => table.UpsertEntityAsync(entity, TableUpdateMode.Replace, ct), cancellationToken)
            .ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask DeleteAsync(CounterName name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);

        // Idempotency records stay: a retried keyed increment still replays after a delete, as it would in memory.
        await RunAsync("delete", ct => DeleteCounterAsync(name.StorageKey, ct), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask CheckHealthAsync(CancellationToken cancellationToken)
    {
        await RunAsync(
            "health check",
            ct => table.GetEntityIfExistsAsync<TableEntity>(TableKeys.HealthPartition, "health", cancellationToken: ct),
            cancellationToken).ConfigureAwait(false);
    }

    private async Task<Response> DeleteCounterAsync(string partitionKey, CancellationToken cancellationToken)
    {
        try
        {
            return await table.DeleteEntityAsync(partitionKey, TableKeys.CounterRow, ETag.All, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 404 && ex.ErrorCode != "TableNotFound")
        {
            // Already gone: deleting a missing counter succeeds.
            return ex.GetRawResponse()!;
        }
    }

    /// <summary>Runs a call that is safe to repeat, retrying transient failures and creating a missing table.</summary>
    private async Task<T> RunAsync<T>(string operation, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        for (var retry = 0; ; retry++)
        {
            try
            {
                await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
                return await call(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (TableFailures.Classify(ex, cancellationToken) is not TableFailure.None and var failure)
            {
                await PauseOrGiveUpAsync(operation, failure, ex, retry, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Waits before the next retry of a failed call, or throws when retrying will not or may no longer help.</summary>
    /// <exception cref="CounterStoreUnavailableException">The failure is permanent or the retries are spent.</exception>
    private async Task PauseOrGiveUpAsync(
        string operation, TableFailure failure, Exception exception, int retry, CancellationToken cancellationToken)
    {
        if (failure == TableFailure.Fatal)
        {
            Log.Refused(logger, operation, exception);
            throw new CounterStoreUnavailableException(
                $"The table service refused the counter {operation}: {FirstLine(exception.Message)}", exception);
        }

        if (failure == TableFailure.TableMissing)
        {
            tableExists = false;
        }

        var reason = ReasonOf(failure);
        if (retry >= options.MaxTransientRetries)
        {
            Log.RetriesExhausted(logger, operation, retry + 1, reason, exception);
            throw new CounterStoreUnavailableException(
                $"The counter {operation} failed {retry + 1} times on the table service ({reason}).",
                exception,
                TableFailures.RetryAfter(exception));
        }

        metrics.RecordStoreRetry(StoreTag, reason);
        var delay = Backoff.AfterTransient(retry, options.TransientDelay, TableFailures.RetryAfter(exception));
        await Task.Delay(delay, timeProvider, cancellationToken).ConfigureAwait(false);
    }

    private async Task EnsureTableAsync(CancellationToken cancellationToken)
    {
        if (tableExists || !options.CreateTableIfMissing)
        {
            return;
        }

        try
        {
            var created = await table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
            if (created.GetRawResponse().Status is 201 or 204)
            {
                Log.TableCreated(logger, table.Name);
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 403)
        {
            // A credential may be allowed to use entities but not to create tables; the table's own calls will tell.
        }

        tableExists = true;
    }

    private static string ReasonOf(TableFailure failure) => failure switch
    {
        TableFailure.Conflict => "conflict",
        TableFailure.Throttled => "throttled",
        TableFailure.Ambiguous => "timeout",
        TableFailure.TableMissing => "table_missing",
        _ => "error",
    };

    private static string FirstLine(string message)
    {
        var end = message.IndexOfAny(['\r', '\n']);
        return end < 0 ? message : message[..end];
    }
}
