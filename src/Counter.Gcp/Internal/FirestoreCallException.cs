namespace Counter.Gcp.Internal;

/// <summary>How a failed Firestore call bears on what to do next.</summary>
internal enum FailureKind
{
    /// <summary>The write's precondition did not hold (FAILED_PRECONDITION, NOT_FOUND, ALREADY_EXISTS): nothing applied; read again.</summary>
    Precondition,

    /// <summary>Contention or quota (ABORTED, RESOURCE_EXHAUSTED): nothing applied; retry after a pause.</summary>
    Contention,

    /// <summary>The service or the network refused the call (UNAVAILABLE, connection refused): nothing applied; retry.</summary>
    Unavailable,

    /// <summary>The call may or may not have applied (DEADLINE_EXCEEDED, INTERNAL, a timeout, a dropped response).</summary>
    Ambiguous,

    /// <summary>Retrying cannot help (INVALID_ARGUMENT, PERMISSION_DENIED, missing credentials).</summary>
    Permanent,
}

/// <summary>A Firestore call failed; the store turns it into a retry or a <see cref="CounterStoreUnavailableException"/>.</summary>
internal sealed class FirestoreCallException(FailureKind kind, string status, string message, Exception? inner = null)
    : Exception(message, inner)
{
    /// <summary>Gets how the failure bears on retrying.</summary>
    public FailureKind Kind { get; } = kind;

    /// <summary>Gets the canonical status name (ABORTED, UNAVAILABLE, ...) or a client-side reason.</summary>
    public string Status { get; } = status;

    /// <summary>Maps a canonical status name to its kind.</summary>
    public static FailureKind KindOf(string status) => status switch
    {
        "FAILED_PRECONDITION" or "NOT_FOUND" or "ALREADY_EXISTS" => FailureKind.Precondition,
        "ABORTED" or "RESOURCE_EXHAUSTED" => FailureKind.Contention,
        "UNAVAILABLE" => FailureKind.Unavailable,
        "DEADLINE_EXCEEDED" or "INTERNAL" or "UNKNOWN" or "CANCELLED" => FailureKind.Ambiguous,
        _ => FailureKind.Permanent,
    };

    /// <summary>Gets the canonical status a bare HTTP status stands for, when the body had none.</summary>
    public static string StatusOf(int httpStatus) => httpStatus switch
    {
        400 => "INVALID_ARGUMENT",
        401 => "UNAUTHENTICATED",
        403 => "PERMISSION_DENIED",
        404 => "NOT_FOUND",
        409 => "ABORTED",
        412 => "FAILED_PRECONDITION",
        429 => "RESOURCE_EXHAUSTED",
        499 => "CANCELLED",
        502 or 503 => "UNAVAILABLE",
        504 => "DEADLINE_EXCEEDED",
        _ => "UNKNOWN",
    };
}
