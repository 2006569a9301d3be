namespace Counter.Http;

/// <summary>The problem types the HTTP API answers with (RFC 9457). The <c>type</c> URIs are stable: clients may switch on them.</summary>
public static class Problems
{
    /// <summary>The prefix every problem type shares.</summary>
    public const string TypePrefix = "urn:counter:problem:";

    /// <summary>400: the counter name in the path breaks the naming rules.</summary>
    public const string InvalidName = TypePrefix + "invalid-name";

    /// <summary>400: the body is not valid JSON of the expected shape, or <c>by</c> is 0 or not an integer.</summary>
    public const string InvalidBody = TypePrefix + "invalid-body";

    /// <summary>400: the <c>Idempotency-Key</c> header is empty, too long or not printable ASCII.</summary>
    public const string InvalidIdempotencyKey = TypePrefix + "invalid-idempotency-key";

    /// <summary>404: no route matches the path.</summary>
    public const string NotFound = TypePrefix + "not-found";

    /// <summary>405: the route exists but not for this method; the <c>Allow</c> header lists the methods.</summary>
    public const string MethodNotAllowed = TypePrefix + "method-not-allowed";

    /// <summary>409: the increment would leave the signed 64-bit range; <c>current</c> holds the unchanged value.</summary>
    public const string Overflow = TypePrefix + "overflow";

    /// <summary>409: the increment would leave the requested bounds; <c>current</c> holds the unchanged value.</summary>
    public const string OutOfBounds = TypePrefix + "out-of-bounds";

    /// <summary>413: the body is larger than <see cref="CounterHttpHandler.MaxBodyBytes"/>.</summary>
    public const string BodyTooLarge = TypePrefix + "body-too-large";

    /// <summary>415: the body is not sent as JSON.</summary>
    public const string UnsupportedMediaType = TypePrefix + "unsupported-media-type";

    /// <summary>503: the store did not answer after retries; the <c>Retry-After</c> header says when to try again.</summary>
    public const string StoreUnavailable = TypePrefix + "store-unavailable";

    /// <summary>500: a bug. The detail says nothing of the cause; the host's log has it.</summary>
    public const string InternalError = TypePrefix + "internal-error";
}
