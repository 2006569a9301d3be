using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Counter.Testing;

/// <summary>A local emulator started as a child process on a free loopback port, and stopped (with its children) on dispose.</summary>
public sealed class EmulatorProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();

    private EmulatorProcess(Process process, int port)
    {
        this.process = process;
        Port = port;
    }

    /// <summary>Gets the loopback port the emulator listens on.</summary>
    public int Port { get; }

    /// <summary>Gets what the emulator printed so far, for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    /// <summary>Returns a loopback TCP port that was free a moment ago.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Finds an executable on PATH or at one of the given paths.</summary>
    /// <returns>The full path, or <see langword="null"/> when it is nowhere.</returns>
    public static string? FindExecutable(string name, params string[] candidates)
    {
        foreach (var candidate in candidates)
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator))
        {
            var path = Path.Combine(dir, name);
            if (File.Exists(path))
            {
                return path;
            }
        }

        return null;
    }

    /// <summary>Starts <paramref name="fileName"/> and waits until <paramref name="port"/> accepts TCP connections.</summary>
    /// <param name="fileName">The program.</param>
    /// <param name="arguments">Its arguments, which must make it listen on 127.0.0.1:<paramref name="port"/>.</param>
    /// <param name="port">The port, usually from <see cref="FreePort"/>.</param>
    /// <param name="startTimeout">How long to wait for the port.</param>
    /// <param name="environment">Extra environment variables.</param>
    /// <exception cref="InvalidOperationException">The process exited or never listened; the message has its output.</exception>
    public static async Task<EmulatorProcess> StartAsync(
        string fileName,
        IEnumerable<string> arguments,
        int port,
        TimeSpan startTimeout,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var emulator = new EmulatorProcess(process, port);
        process.OutputDataReceived += (_, e) => emulator.Append(e.Data);
        process.ErrorDataReceived += (_, e) => emulator.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < startTimeout)
        {
            if (process.HasExited)
            {
                var exitCode = process.ExitCode;
                await emulator.DisposeAsync().ConfigureAwait(false);
                throw new InvalidOperationException(
                    $"{Path.GetFileName(fileName)} exited with code {exitCode} before listening on {port}:\n{emulator.Output}");
            }

            if (await IsListeningAsync(port).ConfigureAwait(false))
            {
                return emulator;
            }

            await Task.Delay(100).ConfigureAwait(false);
        }

        await emulator.DisposeAsync().ConfigureAwait(false);
        throw new InvalidOperationException(
            $"{Path.GetFileName(fileName)} did not listen on {port} within {startTimeout.TotalSeconds:0}s:\n{emulator.Output}");
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            }
        }
        catch (InvalidOperationException)
        {
            // It exited between the check and the kill.
        }
        catch (TimeoutException)
        {
            // Leave it: the OS reaps it when the test host exits.
        }

        process.Dispose();
    }

    private static async Task<bool> IsListeningAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port).ConfigureAwait(false);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }
}
