using System.Net;
using System.Text;
using Amazon.Runtime;
using Counter.Testing;
using Microsoft.Extensions.Options;

namespace Counter.Aws.Tests;

/// <summary>A loopback HTTP server that answers DynamoDB calls as the test scripts it: throttling, server errors, cancelled transactions.</summary>
public sealed class StubDynamoDb : IAsyncDisposable
{
    private readonly HttpListener listener = new();
    private readonly Func<string, int, (int Status, string Body)> answer;
    private readonly Dictionary<string, int> calls = new(StringComparer.Ordinal);
    private readonly Task loop;

    /// <param name="answer">Given the operation (GetItem, UpdateItem...) and how many of it came before, the status and JSON body.</param>
    public StubDynamoDb(Func<string, int, (int Status, string Body)> answer)
    {
        this.answer = answer;
        Port = EmulatorProcess.FreePort();
        listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        listener.Start();
        loop = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public static string Error(string type, string message = "scripted by the test") =>
        $"{{\"__type\":\"com.amazonaws.dynamodb.v20120810#{type}\",\"message\":\"{message}\"}}";

    /// <summary>Gets how many calls of <paramref name="operation"/> arrived.</summary>
    public int Calls(string operation)
    {
        lock (calls)
        {
            return calls.GetValueOrDefault(operation);
        }
    }

    public DynamoDbCounterStore CreateStore(Action<DynamoDbCounterStoreOptions>? configure = null)
    {
        var options = new DynamoDbCounterStoreOptions { ServiceUrl = new Uri($"http://127.0.0.1:{Port}"), Region = "us-east-1", MaxErrorRetries = 3 };
        configure?.Invoke(options);
        var client = DynamoDbClientFactory.Create(options, new BasicAWSCredentials("test", "test"));
        return new DynamoDbCounterStore(client, Options.Create(options));
    }

    public async ValueTask DisposeAsync()
    {
        listener.Stop();
        listener.Close();
        await loop.ConfigureAwait(false);
    }

    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            var target = context.Request.Headers["X-Amz-Target"] ?? string.Empty;
            var operation = target[(target.IndexOf('.', StringComparison.Ordinal) + 1)..];
            int index;
            lock (calls)
            {
                index = calls.GetValueOrDefault(operation);
                calls[operation] = index + 1;
            }

            var (status, body) = answer(operation, index);
            var bytes = Encoding.UTF8.GetBytes(body);
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/x-amz-json-1.0";
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes).ConfigureAwait(false);
            context.Response.Close();
        }
    }
}
