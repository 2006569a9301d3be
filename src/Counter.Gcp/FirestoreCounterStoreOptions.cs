using Google.Apis.Auth.OAuth2;

namespace Counter.Gcp;

/// <summary>Settings for <see cref="FirestoreCounterStore"/>.</summary>
public sealed class FirestoreCounterStoreOptions
{
    /// <summary>The name of the environment variable that points clients at a local Firestore emulator.</summary>
    public const string EmulatorHostVariable = "FIRESTORE_EMULATOR_HOST";

    /// <summary>Gets or sets the Google Cloud project that holds the database.</summary>
    /// <value>Required for real Firestore; <c>counter-local</c> on the emulator when unset.</value>
    public string? ProjectId { get; set; }

    /// <summary>Gets or sets the Firestore database id.</summary>
    /// <value><c>(default)</c> by default.</value>
    public string DatabaseId { get; set; } = "(default)";

    /// <summary>Gets or sets the collection that holds one document per counter.</summary>
    /// <value><c>counters</c> by default.</value>
    public string Collection { get; set; } = "counters";

    /// <summary>Gets or sets the emulator's <c>host:port</c>; when set, the store talks to it without credentials.</summary>
    /// <value>The <c>FIRESTORE_EMULATOR_HOST</c> environment variable by default.</value>
    public string? EmulatorHost { get; set; } = Environment.GetEnvironmentVariable(EmulatorHostVariable);

    /// <summary>Gets or sets the credential for real Firestore.</summary>
    /// <value>Application default credentials by default.</value>
    public GoogleCredential? Credential { get; set; }

    /// <summary>Gets or sets how long one call to Firestore may take before it counts as failed.</summary>
    /// <value>10 seconds by default.</value>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets how long an operation keeps retrying contention and transient errors before giving up.</summary>
    /// <value>30 seconds by default.</value>
    public TimeSpan RetryBudget { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets the longest pause between two retries; pauses grow exponentially up to it, with jitter.</summary>
    /// <value>500 milliseconds by default.</value>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);
}
