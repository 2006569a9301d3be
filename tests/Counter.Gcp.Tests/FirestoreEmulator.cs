using Counter.Testing;

namespace Counter.Gcp.Tests;

/// <summary>Google's Firestore emulator, started once for the test assembly and stopped when its last user lets go.</summary>
/// <remarks>
/// The JVM is started directly (not through <c>gcloud</c> or a wrapper script), so disposing stops the very
/// process that listens. Each user picks its own project id, which the emulator keeps apart.
/// </remarks>
public static class FirestoreEmulator
{
    /// <summary>The emulator's main class inside its jar.</summary>
    public const string MainClass = "com.google.cloud.datastore.emulator.firestore.CloudFirestore";

    private const string InstallHint =
        "Install it with `sudo apt-get install google-cloud-cli-firestore-emulator openjdk-17-jre-headless` "
        + "(or `gcloud components install cloud-firestore-emulator`), or set FIRESTORE_EMULATOR_JAR to the jar.";

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static EmulatorProcess? process;
    private static int users;

    /// <summary>Starts the emulator, or joins the running one, and returns its <c>host:port</c>.</summary>
    /// <exception cref="EmulatorNotFoundException">Java or the emulator jar is not installed.</exception>
    public static async Task<string> AcquireAsync()
    {
        await Gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (process is null)
            {
                var java = EmulatorProcess.FindExecutable("java")
                    ?? throw new EmulatorNotFoundException($"The Firestore emulator needs Java, and `java` is not on PATH. {InstallHint}");
                var jar = FindJar()
                    ?? throw new EmulatorNotFoundException(
                        $"The Firestore emulator jar (cloud-firestore-emulator.jar) is not installed. {InstallHint}");

                var port = EmulatorProcess.FreePort();
                process = await EmulatorProcess.StartAsync(
                        java,
                        ["-cp", jar, MainClass, "start", "--host=127.0.0.1", $"--port={port}"],
                        port,
                        TimeSpan.FromSeconds(90))
                    .ConfigureAwait(false);
            }

            users++;
            return $"127.0.0.1:{process.Port}";
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>Lets go of the emulator; the last user stops it.</summary>
    public static async Task ReleaseAsync()
    {
        await Gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (process is not null && --users == 0)
            {
                await process.DisposeAsync().ConfigureAwait(false);
                process = null;
            }
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>Finds the emulator jar: FIRESTORE_EMULATOR_JAR, the Cloud SDK beside <c>gcloud</c>, or the Debian package's path.</summary>
    public static string? FindJar()
    {
        const string relative = "platform/cloud-firestore-emulator/cloud-firestore-emulator.jar";
        var candidates = new List<string?> { Environment.GetEnvironmentVariable("FIRESTORE_EMULATOR_JAR") };

        if (Environment.GetEnvironmentVariable("CLOUDSDK_ROOT_DIR") is { Length: > 0 } sdkRoot)
        {
            candidates.Add(Path.Combine(sdkRoot, relative));
        }

        if (EmulatorProcess.FindExecutable("gcloud") is { } gcloud)
        {
            // gcloud is <sdk>/bin/gcloud, often reached through a symlink in /usr/bin.
            var resolved = new FileInfo(gcloud).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? gcloud;
            candidates.Add(Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(resolved)) ?? "/", relative));
        }

        candidates.Add(Path.Combine("/usr/lib/google-cloud-sdk", relative));
        candidates.Add(Path.Combine("/usr/share/google-cloud-sdk", relative));
        candidates.Add(Path.Combine("/opt/google-cloud-sdk", relative));

        return candidates.FirstOrDefault(File.Exists);
    }
}
