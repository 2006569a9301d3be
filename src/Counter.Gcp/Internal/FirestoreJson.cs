using System.Text.Json.Serialization;

namespace Counter.Gcp.Internal;

// The slice of the Firestore v1 REST resources this store uses. Int64 values travel as JSON strings
// (integerValue), so they round-trip exactly; field names follow the public API reference.

/// <summary>A Firestore value: one of the typed members is set.</summary>
internal sealed record FirestoreValue
{
    public string? IntegerValue { get; init; }

    public string? StringValue { get; init; }

    public string? TimestampValue { get; init; }
}

/// <summary>A document as read or written.</summary>
internal sealed record FirestoreDocument
{
    public string? Name { get; init; }

    public Dictionary<string, FirestoreValue>? Fields { get; init; }

    public string? UpdateTime { get; init; }
}

/// <summary>A condition the document must meet for a write to apply.</summary>
internal sealed record FirestorePrecondition
{
    public bool? Exists { get; init; }

    public string? UpdateTime { get; init; }
}

/// <summary>An <c>increment</c> field transform.</summary>
internal sealed record FirestoreFieldTransform(string FieldPath, FirestoreValue Increment);

/// <summary>The fields a write replaces.</summary>
internal sealed record FirestoreDocumentMask(IReadOnlyList<string> FieldPaths);

/// <summary>One write of a commit: an update (with optional transforms) or a delete, with an optional precondition.</summary>
internal sealed record FirestoreWrite
{
    public FirestoreDocument? Update { get; init; }

    public string? Delete { get; init; }

    public FirestoreDocumentMask? UpdateMask { get; init; }

    public IReadOnlyList<FirestoreFieldTransform>? UpdateTransforms { get; init; }

    public FirestorePrecondition? CurrentDocument { get; init; }
}

/// <summary>The body of <c>documents:commit</c>.</summary>
internal sealed record FirestoreCommitRequest(IReadOnlyList<FirestoreWrite> Writes);

/// <summary>What one write of a commit produced.</summary>
internal sealed record FirestoreWriteResult
{
    public string? UpdateTime { get; init; }

    public IReadOnlyList<FirestoreValue>? TransformResults { get; init; }
}

/// <summary>The answer to <c>documents:commit</c>.</summary>
internal sealed record FirestoreCommitResponse
{
    public IReadOnlyList<FirestoreWriteResult>? WriteResults { get; init; }
}

/// <summary>The body of <c>documents:batchGet</c>.</summary>
internal sealed record FirestoreBatchGetRequest(IReadOnlyList<string> Documents);

/// <summary>One element of the <c>documents:batchGet</c> answer: the document, or the name of a missing one.</summary>
internal sealed record FirestoreBatchGetResponse
{
    public FirestoreDocument? Found { get; init; }

    public string? Missing { get; init; }
}

/// <summary>The error envelope of a failed call.</summary>
internal sealed record FirestoreErrorResponse
{
    public FirestoreError? Error { get; init; }
}

/// <summary>A failed call's status.</summary>
internal sealed record FirestoreError
{
    public int Code { get; init; }

    public string? Message { get; init; }

    public string? Status { get; init; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(FirestoreCommitRequest))]
[JsonSerializable(typeof(FirestoreCommitResponse))]
[JsonSerializable(typeof(FirestoreBatchGetRequest))]
[JsonSerializable(typeof(FirestoreBatchGetResponse[]))]
[JsonSerializable(typeof(FirestoreErrorResponse))]
internal sealed partial class FirestoreJsonContext : JsonSerializerContext;
