using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Counter.Gcp.CloudRun;
using Counter.Testing;

namespace Counter.Gcp.Tests;

/// <summary>Cloud Run's container contract: listen on $PORT, 8080 when it is unset, and refuse a bad PORT at start.</summary>
public sealed class CloudRunPortTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Host_Port9090_ServesOn9090()
    {
        await WaitUntilFreeAsync(9090);
        var emulator = await AcquireEmulatorAsync();
        try
        {
            await using var host = await CloudRunHost.StartAsync("9090", 9090, emulator, "counter-port");
            using var client = new HttpClient { BaseAddress = new Uri("http://127.0.0.1:9090") };

            using var response = await client.GetAsync("/healthz", Cancel);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        finally
        {
            await FirestoreEmulator.ReleaseAsync();
        }
    }

    [Fact]
    public async Task Host_InvalidPort_ExitsWithMessage()
    {
        // The host checks PORT before it touches Firestore, so no emulator is needed here.
        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => CloudRunHost.StartAsync("not-a-port", EmulatorProcess.FreePort(), "127.0.0.1:1", "counter-port"));

        Assert.Contains("PORT must be a TCP port number", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Settings_PortUnset_Uses8080()
    {
        var settings = CloudRunSettings.FromEnvironment(Variables(("GOOGLE_CLOUD_PROJECT", "p")));

        Assert.Equal(8080, settings.Port);
        Assert.Equal("p", settings.ProjectId);
        Assert.Equal("(default)", settings.DatabaseId);
        Assert.Equal("counters", settings.Collection);
        Assert.Null(settings.EmulatorHost);
    }

    [Fact]
    public void Settings_AllVariables_AreRead()
    {
        var settings = CloudRunSettings.FromEnvironment(Variables(
            ("PORT", "9090"), ("GOOGLE_CLOUD_PROJECT", "p"), ("FIRESTORE_DATABASE", "db"), ("COUNTER_COLLECTION", "c"),
            ("FIRESTORE_EMULATOR_HOST", "127.0.0.1:1")));

        Assert.Equal(new CloudRunSettings(9090, "p", "db", "c", "127.0.0.1:1"), settings);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("65536")]
    [InlineData("-1")]
    [InlineData("80a")]
    public void Settings_InvalidPort_Throws(string port)
    {
        var error = Assert.Throws<InvalidOperationException>(
            () => CloudRunSettings.FromEnvironment(Variables(("PORT", port), ("GOOGLE_CLOUD_PROJECT", "p"))));

        Assert.Contains(port, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Settings_NoProjectAndNoEmulator_Throws()
    {
        var error = Assert.Throws<InvalidOperationException>(() => CloudRunSettings.FromEnvironment(Variables()));

        Assert.Contains("GOOGLE_CLOUD_PROJECT", error.Message, StringComparison.Ordinal);
    }

    private static Func<string, string?> Variables(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    private static async Task<string> AcquireEmulatorAsync()
    {
        try
        {
            return await FirestoreEmulator.AcquireAsync();
        }
        catch (EmulatorNotFoundException ex)
        {
            TestEnvironment.SkipOrFail(ex.Message);
            throw;
        }
    }

    // Another program (or another test run) may hold 9090 for a while; wait for it rather than skip.
    private static async Task WaitUntilFreeAsync(int port)
    {
        for (var waited = 0; waited < 120; waited++)
        {
            try
            {
                using var listener = new TcpListener(IPAddress.Any, port);
                listener.Start();
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), Cancel);
            }
        }

        TestEnvironment.SkipOrFail(string.Create(CultureInfo.InvariantCulture, $"Port {port} stayed busy for two minutes."));
    }
}
