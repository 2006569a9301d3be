using System.Globalization;

namespace Counter.Gcp.CloudRun;

/// <summary>The service's settings, read once from the environment variables Cloud Run and the operator set.</summary>
internal sealed record CloudRunSettings(int Port, string? ProjectId, string DatabaseId, string Collection, string? EmulatorHost)
{
    /// <summary>The port Cloud Run's container contract falls back on when <c>PORT</c> is unset.</summary>
    public const int DefaultPort = 8080;

    /// <summary>Reads PORT, GOOGLE_CLOUD_PROJECT, FIRESTORE_DATABASE, COUNTER_COLLECTION and FIRESTORE_EMULATOR_HOST.</summary>
    /// <param name="lookup">Reads a variable; the process environment by default.</param>
    /// <exception cref="InvalidOperationException">A variable holds a value the service cannot use.</exception>
    public static CloudRunSettings FromEnvironment(Func<string, string?>? lookup = null)
    {
        lookup ??= Environment.GetEnvironmentVariable;
        string? Variable(string name) => lookup(name) is { Length: > 0 } value ? value.Trim() : null;

        var portText = Variable("PORT");
        var port = DefaultPort;
        if (portText is not null && (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535))
        {
            throw new InvalidOperationException($"PORT must be a TCP port number from 1 to 65535; it is '{portText}'.");
        }

        var emulatorHost = Variable(FirestoreCounterStoreOptions.EmulatorHostVariable);
        var projectId = Variable("GOOGLE_CLOUD_PROJECT") ?? Variable("GCLOUD_PROJECT");
        if (projectId is null && emulatorHost is null)
        {
            throw new InvalidOperationException(
                "Set GOOGLE_CLOUD_PROJECT to the project that holds the Firestore database (or FIRESTORE_EMULATOR_HOST for the emulator).");
        }

        return new CloudRunSettings(
            port,
            projectId,
            Variable("FIRESTORE_DATABASE") ?? "(default)",
            Variable("COUNTER_COLLECTION") ?? "counters",
            emulatorHost);
    }
}
