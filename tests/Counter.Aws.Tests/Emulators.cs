using Counter.Testing;

namespace Counter.Aws.Tests;

/// <summary>Starts the two DynamoDB emulators on free loopback ports.</summary>
public static class Emulators
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    // moto_server's own entry point, with one change: it serves one request at a time. Its default threaded server
    // checks a transaction's conditions and writes the items without a lock, so two transactions pinned to the same
    // value can both commit there, which DynamoDB never allows. Serving requests in turn gives DynamoDB's atomicity
    // back; the test clients still run their calls concurrently and still race each other between read and write.
    private const string MotoOneRequestAtATime =
        "import sys, moto.server as m, werkzeug.serving as w\n"
        + "m.run_simple = lambda *a, **k: w.run_simple(*a, **{**k, 'threaded': False})\n"
        + "m.main(sys.argv[1:])\n";

    /// <summary>Starts moto's server (Python's moto, <c>pip install "moto[server]"</c>), serving one request at a time.</summary>
    public static async Task<EmulatorProcess> StartMotoAsync()
    {
        if (EmulatorProcess.FindExecutable("moto_server") is null)
        {
            throw new EmulatorNotFoundException("moto_server is not installed; install it with: pip install \"moto[server]\"");
        }

        var python = EmulatorProcess.FindExecutable("python3") ?? EmulatorProcess.FindExecutable("python")
            ?? throw new EmulatorNotFoundException("moto_server is installed but no python3 is on PATH to run it with.");
        var port = EmulatorProcess.FreePort();
        return await EmulatorProcess.StartAsync(python, ["-c", MotoOneRequestAtATime, "-H", "127.0.0.1", "-p", Port(port)], port, StartTimeout)
            .ConfigureAwait(false);
    }

    /// <summary>Starts dynalite from the repository's node_modules (<c>npm ci</c> installs it from package-lock.json).</summary>
    public static Task<EmulatorProcess> StartDynaliteAsync()
    {
        var local = Path.Combine(TestEnvironment.RepositoryRoot, "node_modules", ".bin", "dynalite");
        var dynalite = EmulatorProcess.FindExecutable("dynalite", local)
            ?? throw new EmulatorNotFoundException(
                "dynalite is not installed; run `npm ci` at the repository root (package-lock.json pins dynalite 4.0.0).");
        var port = EmulatorProcess.FreePort();
        string[] arguments = ["--port", Port(port), "--host", "127.0.0.1", "--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0"];
        return EmulatorProcess.StartAsync(dynalite, arguments, port, StartTimeout);
    }

    private static string Port(int port) => port.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
