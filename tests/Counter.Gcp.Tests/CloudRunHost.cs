using System.Reflection;
using Counter.Testing;
using Counter.Testing.Http;

namespace Counter.Gcp.Tests;

/// <summary>Starts the built Cloud Run service as its own process, as Cloud Run would: <c>dotnet</c> on its dll, PORT set.</summary>
public static class CloudRunHost
{
    /// <summary>Gets the service's built entry assembly, from the same configuration as these tests.</summary>
    public static string EntryAssembly
    {
        get
        {
            var framework = new DirectoryInfo(AppContext.BaseDirectory).Name;
            var configuration = typeof(CloudRunHost).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
            return Path.Combine(
                TestEnvironment.RepositoryRoot, "src", "Counter.Gcp.CloudRun", "bin", configuration, framework, "Counter.Gcp.CloudRun.dll");
        }
    }

    /// <summary>Starts the service on <paramref name="port"/> against the emulator and waits until it listens.</summary>
    /// <param name="port">The value of <c>PORT</c>, or <see langword="null"/> to leave it unset.</param>
    /// <param name="listenPort">The port to wait for.</param>
    /// <param name="emulatorHost">The emulator's <c>host:port</c>.</param>
    /// <param name="projectId">The project id, which keeps this service's counters apart in the emulator.</param>
    public static Task<EmulatorProcess> StartAsync(string? port, int listenPort, string emulatorHost, string projectId)
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath && File.Exists(hostPath)
            ? hostPath
            : EmulatorProcess.FindExecutable("dotnet", "/usr/share/dotnet/dotnet", "/usr/lib/dotnet/dotnet")
                ?? throw new InvalidOperationException("`dotnet` is not on PATH.");

        var environment = new Dictionary<string, string>
        {
            ["FIRESTORE_EMULATOR_HOST"] = emulatorHost,
            ["GOOGLE_CLOUD_PROJECT"] = projectId,
            ["ASPNETCORE_URLS"] = string.Empty,
            ["DOTNET_URLS"] = string.Empty,
            ["PORT"] = port ?? string.Empty,
        };
        return EmulatorProcess.StartAsync(dotnet, [EntryAssembly], listenPort, TimeSpan.FromSeconds(60), environment);
    }
}

/// <summary>One Cloud Run service process over the shared emulator, with a client pointed at it.</summary>
public sealed class CloudRunHostFixture : CounterHostFixture
{
    private bool acquired;
    private EmulatorProcess? host;

    /// <summary>Gets the emulator's <c>host:port</c>.</summary>
    public string EmulatorHost { get; private set; } = string.Empty;

    protected override async ValueTask<HttpClient> StartAsync()
    {
        EmulatorHost = await FirestoreEmulator.AcquireAsync();
        acquired = true;

        var port = EmulatorProcess.FreePort();
        host = await CloudRunHost.StartAsync(port.ToString(System.Globalization.CultureInfo.InvariantCulture), port, EmulatorHost, "counter-http");
        return new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(60) };
    }

    protected override async ValueTask StopAsync()
    {
        if (host is not null)
        {
            await host.DisposeAsync();
        }

        if (acquired)
        {
            await FirestoreEmulator.ReleaseAsync();
        }
    }
}

/// <summary>The shared HTTP API suite against the Cloud Run host process, over real HTTP.</summary>
public sealed class CloudRunHttpApiTests(CloudRunHostFixture fixture) : CounterHttpApiTests(fixture), IClassFixture<CloudRunHostFixture>;
