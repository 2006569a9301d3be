using System.Buffers.Text;
using System.Text;

namespace Counter.Azure.Internal;

/// <summary>How counters and idempotency records are laid out in the table.</summary>
/// <remarks>
/// A counter's partition key is <see cref="CounterName.StorageKey"/> (base64url), so no name can produce a character
/// the service forbids in keys (<c>/ \ # ?</c>, control characters) or exceed its 1 KiB key limit. The partition
/// holds the counter entity and the counter's idempotency records, so both commit in one entity-group transaction.
/// </remarks>
internal static class TableKeys
{
    /// <summary>The row key of the counter entity.</summary>
    public const string CounterRow = "counter";

    /// <summary>The prefix of idempotency record row keys; the rest is the base64url form of the key.</summary>
    public const string RecordRowPrefix = "idem-";

    /// <summary>The Int64 property that holds a counter's value, or the value a recorded increment returned.</summary>
    public const string Value = "Value";

    /// <summary>The property naming the increment call that wrote an entity, to recognise our own write after an error.</summary>
    public const string Operation = "Op";

    /// <summary>The property holding when an idempotency record stops counting.</summary>
    public const string ExpiresAt = "ExpiresAt";

    /// <summary>A partition no counter can use ('~' is outside base64url): the health check reads from it.</summary>
    public const string HealthPartition = "~health";

    /// <summary>Returns the row key of the record for an idempotency key (printable ASCII, which may hold / \ # ?).</summary>
    public static string RecordRow(string idempotencyKey) =>
        RecordRowPrefix + Base64Url.EncodeToString(Encoding.ASCII.GetBytes(idempotencyKey));
}
