using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;

namespace Counter.Load.Targets;

/// <summary>Counts through a running host's HTTP API, one pooled connection per concurrent caller.</summary>
internal sealed class HttpLoadTarget : ILoadTarget
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private readonly HttpClient client;
    private readonly Uri baseUrl;

    public HttpLoadTarget(Uri baseUrl, int connections)
    {
        this.baseUrl = baseUrl;
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            ConnectTimeout = TimeSpan.FromSeconds(5),
        };
        client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
    }

    public string Description => $"HTTP {baseUrl}";

    public async ValueTask<long> ReadAsync(string counter, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, CounterUri(counter));
        return await SendAsync(request, cancellationToken);
    }

    public async ValueTask<long> IncrementAsync(string counter, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, CounterUri(counter));
        return await SendAsync(request, cancellationToken);
    }

    public async ValueTask<long> NaiveIncrementAsync(string counter, CancellationToken cancellationToken)
    {
        var value = await ReadAsync(counter, cancellationToken) + 1;

        using var request = new HttpRequestMessage(HttpMethod.Put, CounterUri(counter));
        var body = string.Create(CultureInfo.InvariantCulture, $"{{\"value\":{value}}}");
        request.Content = new StringContent(body, Json);
        return await SendAsync(request, cancellationToken);
    }

    public ValueTask DisposeAsync()
    {
        client.Dispose();
        return ValueTask.CompletedTask;
    }

    private Uri CounterUri(string counter) => new(baseUrl, "/counters/" + Uri.EscapeDataString(counter));

    private async ValueTask<long> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                var status = (int)response.StatusCode;
                throw new LoadErrorException($"http {status} {ProblemType(body)}".TrimEnd(), mayHaveApplied: status >= 500);
            }

            return JsonSerializer.Deserialize(body, LoadJsonContext.Default.CounterValue)?.Value
                ?? throw new LoadErrorException("http 200 without a value", mayHaveApplied: true);
        }
        catch (HttpRequestException ex) when (ex.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused })
        {
            // Counted as uncertain all the same: when a pooled connection drops before any response byte arrives,
            // SocketsHttpHandler resends the request on a new connection, so a refusal may follow a first attempt
            // that the server committed just before it died.
            throw new LoadErrorException("connection refused", mayHaveApplied: true, ex);
        }
        catch (HttpRequestException ex)
        {
            throw new LoadErrorException($"transport {ex.HttpRequestError}", mayHaveApplied: true, ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new LoadErrorException("timeout", mayHaveApplied: true, ex);
        }
        catch (JsonException ex)
        {
            throw new LoadErrorException("unreadable response", mayHaveApplied: true, ex);
        }
    }

    private static string ProblemType(byte[] body)
    {
        try
        {
            var type = JsonSerializer.Deserialize(body, LoadJsonContext.Default.ProblemType)?.Type;
            return type?.Replace("urn:counter:problem:", string.Empty, StringComparison.Ordinal) ?? string.Empty;
        }
        catch (JsonException)
        {
            return string.Empty;
        }
    }
}

/// <summary>The part of a counter response the load tool reads.</summary>
internal sealed record CounterValue(long Value);

/// <summary>The part of a problem response the load tool reads.</summary>
internal sealed record ProblemType(string? Type);
