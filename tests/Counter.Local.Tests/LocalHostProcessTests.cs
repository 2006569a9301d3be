using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Counter.Testing;

namespace Counter.Local.Tests;

/// <summary>The local host as users run it: its defaults, its configuration, restarts, crashes and shared files.</summary>
public sealed class LocalHostProcessTests : IDisposable
{
    private readonly TemporaryDatabase database = new();
    private readonly string workingDirectory;

    public LocalHostProcessTests() => workingDirectory = Path.GetDirectoryName(database.Path)!;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public void Dispose() => database.Dispose();

    [Fact]
    public async Task Start_NoArguments_Serves5080WithDatabaseInWorkingDirectory()
    {
        if (!IsPortFree(5080))
        {
            TestEnvironment.SkipOrFail("Port 5080 is taken by another program; the default address cannot be checked.");
        }

        await using var host = await LocalProcess.StartAsync(workingDirectory);

        Assert.Equal(new Uri("http://127.0.0.1:5080"), host.Address);
        Assert.Equal(Path.Combine(workingDirectory, "counters.db"), host.DatabasePath);
        Assert.True(File.Exists(host.DatabasePath));
    }

    [Fact]
    public async Task Start_PortVariable_ServesThatPort()
    {
        var port = EmulatorProcess.FreePort();

        await using var host = await LocalProcess.StartAsync(workingDirectory, new Dictionary<string, string> { ["PORT"] = $"{port}" });

        Assert.Equal(port, host.Address.Port);
        using var client = new HttpClient { BaseAddress = host.Address };
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/healthz", UriKind.Relative), Cancel)).StatusCode);
    }

    [Fact]
    public async Task Start_UrlsAndDatabaseArguments_OverrideDefaults()
    {
        var port = EmulatorProcess.FreePort();
        var path = Path.Combine(workingDirectory, "elsewhere.db");

        await using var host = await LocalProcess.StartAsync(
            workingDirectory, new Dictionary<string, string> { ["PORT"] = "1" }, "--urls", $"http://127.0.0.1:{port}", "--Counter:Sqlite:DatabasePath", path);

        Assert.Equal(port, host.Address.Port);
        Assert.Equal(path, host.DatabasePath);
    }

    [Theory]
    [InlineData("--Counter:Sqlite:DatabasePath", "/nonexistent/folder/counters.db", "unable to open database file")]
    [InlineData("--Counter:Sqlite:Durability", "Bogus", "Bogus")]
    [InlineData("--Counter:IdempotencyRetention", "00:00:00", "IdempotencyRetention")]
    [InlineData("--Counter:IdempotencyRetention", "10000000.00:00:00", "IdempotencyRetention")]
    public async Task Start_BadSetting_ExitsWithMessageInsteadOfServing(string setting, string value, string expected)
    {
        var (exitCode, output) = await LocalProcess.RunToExitAsync(
            workingDirectory, "--urls", $"http://127.0.0.1:{EmulatorProcess.FreePort()}", setting, value);

        Assert.Equal(1, exitCode);
        Assert.Contains("Counter cannot start", output, StringComparison.Ordinal);
        Assert.Contains(expected, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_AbsoluteFormTarget_CountsTheSameNameAsOriginForm()
    {
        await using var host = await StartOnFreePortAsync();
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(host.Address.Host, host.Address.Port, Cancel);
        var stream = tcp.GetStream();

        var request = $"POST http://{host.Address.Authority}/counters/abs/%2E%2E/b HTTP/1.1\r\nHost: {host.Address.Authority}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(request), Cancel);
        using var reader = new StreamReader(stream);
        var response = await reader.ReadToEndAsync(Cancel);

        Assert.StartsWith("HTTP/1.1 200", response, StringComparison.Ordinal);
        Assert.Contains("\"name\":\"abs/../b\"", response, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restart_SameDatabase_KeepsValues()
    {
        await using (var first = await StartOnFreePortAsync())
        {
            using var client = new HttpClient { BaseAddress = first.Address };
            for (var i = 0; i < 5; i++)
            {
                (await client.PostAsync(new Uri("/counters/kept", UriKind.Relative), null, Cancel)).EnsureSuccessStatusCode();
            }
        }

        await using var second = await StartOnFreePortAsync();
        Assert.Equal(5, await ReadValueAsync(second.Address, "kept"));
    }

    [Fact]
    public async Task Crash_AfterAcknowledgedIncrements_LosesNone()
    {
        var acknowledged = 0;
        await using (var host = await StartOnFreePortAsync())
        {
            using var client = new HttpClient { BaseAddress = host.Address };
            await Task.WhenAll(Enumerable.Range(0, 32).Select(async _ =>
            {
                for (var i = 0; i < 20; i++)
                {
                    using var response = await client.PostAsync(new Uri("/counters/crash", UriKind.Relative), null, Cancel);
                    response.EnsureSuccessStatusCode();
                    Interlocked.Increment(ref acknowledged);
                }
            }));

            await host.CrashAsync();
        }

        await using var restarted = await StartOnFreePortAsync();
        Assert.Equal(acknowledged, await ReadValueAsync(restarted.Address, "crash"));
    }

    [Fact]
    public async Task TwoProcesses_SameDatabase_CountExactlyTogether()
    {
        await using var first = await StartOnFreePortAsync();
        await using var second = await StartOnFreePortAsync();
        using var firstClient = new HttpClient { BaseAddress = first.Address };
        using var secondClient = new HttpClient { BaseAddress = second.Address };

        var values = await Task.WhenAll(Enumerable.Range(0, 200).Select(async i =>
        {
            var client = i % 2 == 0 ? firstClient : secondClient;
            using var response = await client.PostAsync(new Uri("/counters/shared", UriKind.Relative), null, Cancel);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return (await response.Content.ReadFromJsonAsync<CounterBody>(Cancel))!.Value;
        }));

        Assert.Equal(Enumerable.Range(1, 200).Select(i => (long)i), values.Order());
        Assert.Equal(200, await ReadValueAsync(second.Address, "shared"));
    }

    private Task<LocalProcess> StartOnFreePortAsync() =>
        LocalProcess.StartAsync(workingDirectory, null, "--urls", $"http://127.0.0.1:{EmulatorProcess.FreePort()}");

    private static async Task<long> ReadValueAsync(Uri address, string name)
    {
        using var client = new HttpClient { BaseAddress = address };
        return (await client.GetFromJsonAsync<CounterBody>(new Uri($"/counters/{name}", UriKind.Relative), Cancel))!.Value;
    }

    private static bool IsPortFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private sealed record CounterBody(string Name, long Value);
}
