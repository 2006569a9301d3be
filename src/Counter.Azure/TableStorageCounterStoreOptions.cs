using Azure.Core;

namespace Counter.Azure;

/// <summary>Settings for <see cref="TableStorageCounterStore"/>: where the table is and how hard to retry.</summary>
/// <remarks>
/// Give either <see cref="ConnectionString"/> (Azurite, or an account key) or <see cref="TableServiceUri"/>
/// (Microsoft Entra ID: <see cref="Credential"/>, or <c>DefaultAzureCredential</c> when it is not set).
/// </remarks>
public sealed class TableStorageCounterStoreOptions
{
    /// <summary>Gets or sets a storage connection string; it wins over <see cref="TableServiceUri"/>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Gets or sets the table service endpoint, such as <c>https://account.table.core.windows.net</c>.</summary>
    public Uri? TableServiceUri { get; set; }

    /// <summary>Gets or sets the credential used with <see cref="TableServiceUri"/>.</summary>
    /// <value><see langword="null"/> by default, which means <c>DefaultAzureCredential</c>.</value>
    public TokenCredential? Credential { get; set; }

    /// <summary>Gets or sets the client id of a user-assigned managed identity for <c>DefaultAzureCredential</c>.</summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>Gets or sets the table that holds the counters.</summary>
    /// <value><c>counters</c> by default.</value>
    public string TableName { get; set; } = "counters";

    /// <summary>Gets or sets a value indicating whether the store creates the table on first use when it is missing.</summary>
    /// <value><see langword="true"/> by default.</value>
    public bool CreateTableIfMissing { get; set; } = true;

    /// <summary>Gets or sets how many read-then-write rounds one increment may take when other writers keep winning.</summary>
    /// <value>200 by default, enough for 64 concurrent writers on one counter with room to spare.</value>
    public int MaxConflictAttempts { get; set; } = 200;

    /// <summary>Gets or sets how many times one call retries a throttled, failing or timed-out request.</summary>
    /// <value>5 by default.</value>
    public int MaxTransientRetries { get; set; } = 5;

    /// <summary>Gets or sets the longest pause between two rounds after a write conflict; pauses are jittered up to it.</summary>
    /// <value>50 milliseconds by default.</value>
    public TimeSpan MaxConflictDelay { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Gets or sets the first pause after a transient error; it doubles with each retry, with jitter.</summary>
    /// <value>200 milliseconds by default.</value>
    public TimeSpan TransientDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Gets or sets how long one request to the service may take before it counts as timed out.</summary>
    /// <value>10 seconds by default.</value>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
