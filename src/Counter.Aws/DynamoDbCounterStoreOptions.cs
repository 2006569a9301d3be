namespace Counter.Aws;

/// <summary>Settings for <see cref="DynamoDbCounterStore"/>: the table, its attribute names, and how hard to retry.</summary>
/// <remarks>
/// The table needs a single string partition key. Counters and idempotency records share it: a counter's key is
/// <see cref="CounterName.StorageKey"/>, a record's key is that followed by <c>#</c> and the idempotency key, which
/// no counter key can equal because storage keys never hold <c>#</c>.
/// </remarks>
public sealed class DynamoDbCounterStoreOptions
{
    /// <summary>Gets or sets the table name.</summary>
    /// <value><c>counters</c> by default.</value>
    public string TableName { get; set; } = "counters";

    /// <summary>Gets or sets the name of the table's string partition key.</summary>
    /// <value><c>pk</c> by default.</value>
    public string KeyAttributeName { get; set; } = "pk";

    /// <summary>Gets or sets the name of the numeric attribute that holds a counter's value.</summary>
    /// <value><c>value</c> by default; reserved words such as <c>count</c> work too.</value>
    public string ValueAttributeName { get; set; } = "value";

    /// <summary>Gets or sets the name of the table's TTL attribute, which idempotency records set (epoch seconds).</summary>
    /// <value><c>expiresAt</c> by default.</value>
    public string ExpiresAtAttributeName { get; set; } = "expiresAt";

    /// <summary>Gets or sets how many times an idempotent increment is retried when another writer changed the counter first.</summary>
    /// <value>100 by default.</value>
    public int MaxConflictRetries { get; set; } = 100;

    /// <summary>Gets or sets how many times the SDK retries a throttled or failed call before the store gives up.</summary>
    /// <value>5 by default.</value>
    public int MaxErrorRetries { get; set; } = 5;

    /// <summary>Gets or sets how long one call may take, retries excluded, before it counts as failed.</summary>
    /// <value>10 seconds by default.</value>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets an endpoint to use instead of AWS's (an emulator such as moto or dynalite).</summary>
    /// <value><see langword="null"/> by default: the region's DynamoDB endpoint.</value>
    public Uri? ServiceUrl { get; set; }

    /// <summary>Gets or sets the AWS region, such as <c>eu-west-1</c>.</summary>
    /// <value><see langword="null"/> by default: the SDK's own lookup (<c>AWS_REGION</c>, profile).</value>
    public string? Region { get; set; }

    /// <summary>Checks that every setting is usable.</summary>
    /// <exception cref="ArgumentException">A name is empty, two attribute names clash, or a number is out of range.</exception>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(TableName, nameof(TableName));
        ArgumentException.ThrowIfNullOrWhiteSpace(KeyAttributeName, nameof(KeyAttributeName));
        ArgumentException.ThrowIfNullOrWhiteSpace(ValueAttributeName, nameof(ValueAttributeName));
        ArgumentException.ThrowIfNullOrWhiteSpace(ExpiresAtAttributeName, nameof(ExpiresAtAttributeName));
        ArgumentOutOfRangeException.ThrowIfNegative(MaxConflictRetries, nameof(MaxConflictRetries));
        ArgumentOutOfRangeException.ThrowIfNegative(MaxErrorRetries, nameof(MaxErrorRetries));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(CallTimeout, TimeSpan.Zero, nameof(CallTimeout));

        string[] names = [KeyAttributeName, ValueAttributeName, ExpiresAtAttributeName];
        if (names.Distinct(StringComparer.Ordinal).Count() != names.Length)
        {
            throw new ArgumentException(
                $"The key, value and expiry attributes need three different names (got {string.Join(", ", names)}).",
                nameof(ValueAttributeName));
        }
    }
}
