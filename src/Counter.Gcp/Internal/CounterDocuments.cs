using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Counter.Gcp.Internal;

/// <summary>Where a counter's documents live and how their fields are read and written.</summary>
/// <remarks>
/// <para>Counter <c>n</c> is the document <c>{collection}/{n.StorageKey}</c>, field <c>value</c>. The storage key is
/// base64url, so it never holds <c>/</c>, is never <c>.</c>, <c>..</c> or <c>__x__</c>, and stays far below
/// Firestore's 1,500-byte id limit.</para>
/// <para>A counter beyond ±2^62 lives instead in <c>{collection}/{key}/nearLimit/value</c>: see
/// <see cref="FirestoreCounterStore"/> for why. At most one of the two exists; neither means 0.</para>
/// <para>Idempotency records are <c>{collection}/{key}/idempotencyKeys/{base64url(key)}</c> with <c>value</c>,
/// <c>expiresAt</c> (a timestamp, for a TTL policy) and <c>writer</c> (the call that wrote it).</para>
/// </remarks>
internal sealed class CounterDocuments(string documentsRoot, string collection)
{
    public const string ValueField = "value";
    public const string ExpiresAtField = "expiresAt";
    public const string WriterField = "writer";
    public const string NearLimitCollection = "nearLimit";
    public const string IdempotencyCollection = "idempotencyKeys";

    /// <summary>The largest magnitude a counter may have in its main document.</summary>
    public const long NearLimit = 1L << 62;

    private static readonly FirestoreDocumentMask ValueMask = new([ValueField]);

    public string Main(CounterName name) => $"{documentsRoot}/{collection}/{name.StorageKey}";

    public string Guarded(CounterName name) => $"{Main(name)}/{NearLimitCollection}/value";

    public string Record(CounterName name, string idempotencyKey) =>
        $"{Main(name)}/{IdempotencyCollection}/{Base64Url.EncodeToString(Encoding.ASCII.GetBytes(idempotencyKey))}";

    /// <summary>Gets the document that must hold <paramref name="value"/>: the main one unless it is near a limit.</summary>
    public string Home(CounterName name, long value) => IsNearLimit(value) ? Guarded(name) : Main(name);

    /// <summary>Gets the document that must not exist while the counter holds <paramref name="value"/>.</summary>
    public string Other(CounterName name, long value) => IsNearLimit(value) ? Main(name) : Guarded(name);

    public static bool IsNearLimit(long value) => value is > NearLimit or < -NearLimit;

    public static FirestoreValue Integer(long value) => new() { IntegerValue = value.ToString(CultureInfo.InvariantCulture) };

    public static long ReadInteger(FirestoreValue? value) =>
        long.TryParse(value?.IntegerValue, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var result)
            ? result
            : throw new FirestoreCallException(FailureKind.Permanent, "BAD_DOCUMENT", "A counter document has no integer 'value' field.");

    public static long ValueOf(FirestoreDocument document) => ReadInteger(document.Fields?.GetValueOrDefault(ValueField));

    /// <summary>The precondition that <paramref name="document"/>, as read, is still what is stored.</summary>
    public static FirestorePrecondition Unchanged(FirestoreDocument? document) =>
        document?.UpdateTime is { } updateTime
            ? new FirestorePrecondition { UpdateTime = updateTime }
            : new FirestorePrecondition { Exists = false };

    public static FirestoreWrite PutValue(string name, long value, FirestorePrecondition? precondition = null) => new()
    {
        Update = new FirestoreDocument { Name = name, Fields = new() { [ValueField] = Integer(value) } },
        UpdateMask = ValueMask,
        CurrentDocument = precondition,
    };

    public static FirestoreWrite Delete(string name, FirestorePrecondition? precondition = null) =>
        new() { Delete = name, CurrentDocument = precondition };

    public static FirestoreWrite PutRecord(
        string name, long value, DateTimeOffset expiresAt, string writer, FirestorePrecondition precondition) => new()
    {
        Update = new FirestoreDocument
        {
            Name = name,
            Fields = new()
            {
                [ValueField] = Integer(value),
                [ExpiresAtField] = new FirestoreValue { TimestampValue = Timestamp(expiresAt) },
                [WriterField] = new FirestoreValue { StringValue = writer },
            },
        },
        CurrentDocument = precondition,
    };

    /// <summary>Formats an instant as RFC 3339 in UTC, to the microsecond Firestore keeps.</summary>
    public static string Timestamp(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Reads an idempotency record's value, expiry and writer.</summary>
    public static (long Value, DateTimeOffset ExpiresAt, string? Writer) ReadRecord(FirestoreDocument record)
    {
        var fields = record.Fields;
        // A record without a readable expiry counts as expired, so it can never block an increment for good.
        var expiresAt = DateTimeOffset.TryParse(
            fields?.GetValueOrDefault(ExpiresAtField)?.TimestampValue, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
            ? parsed
            : DateTimeOffset.MinValue;
        return (ValueOf(record), expiresAt, fields?.GetValueOrDefault(WriterField)?.StringValue);
    }

    /// <summary>The write of an unguarded increment: add <paramref name="delta"/> to the main document, only if it exists.</summary>
    public FirestoreWrite Increment(CounterName name, long delta) => new()
    {
        Update = new FirestoreDocument { Name = Main(name) },
        UpdateMask = new FirestoreDocumentMask([]),
        UpdateTransforms = [new FirestoreFieldTransform(ValueField, Integer(delta))],
        CurrentDocument = new FirestorePrecondition { Exists = true },
    };
}
