using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Counter.Http;
using Counter.Testing;
using Counter.Testing.Http;

namespace Counter.Aws.Tests;

/// <summary>Turns each HTTP request into the event API Gateway or a function URL would send, and the answer back.</summary>
internal sealed class LambdaMessageHandler(LambdaEntryPoint function, EventSource source) : HttpMessageHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        var headers = request.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        var e = LambdaEvents.Request(
            source,
            request.Method.Method,
            request.RequestUri!.PathAndQuery,
            body,
            base64: source == EventSource.FunctionUrl,
            contentType: request.Content?.Headers.ContentType?.ToString(),
            headers: headers);

        var answer = await LambdaResponse.InvokeAsync(function, e);

        var bytes = answer.Raw["isBase64Encoded"]?.GetValue<bool>() == true ? Convert.FromBase64String(answer.Body) : Encoding.UTF8.GetBytes(answer.Body);
        var response = new HttpResponseMessage((HttpStatusCode)answer.StatusCode) { Content = new ByteArrayContent(bytes), RequestMessage = request };
        foreach (var (name, value) in answer.Raw["headers"]?.AsObject() ?? [])
        {
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                response.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(value!.GetValue<string>());
            }
            else if (!response.Headers.TryAddWithoutValidation(name, value!.GetValue<string>()))
            {
                response.Content.Headers.TryAddWithoutValidation(name, value!.GetValue<string>());
            }
        }

        return response;
    }
}

/// <summary>The Lambda function over DynamoDB on moto, reached through one event shape.</summary>
public abstract class LambdaHostFixture(EventSource source) : CounterHostFixture
{
    private readonly MotoFixture database = new();

    protected override async ValueTask<HttpClient> StartAsync()
    {
        await database.InitializeAsync();
        if (database.MissingReason is { } missing)
        {
            throw new EmulatorNotFoundException(missing);
        }

        var function = new LambdaEntryPoint(new CounterHttpHandler(new CounterService(database.Store)));
        return new HttpClient(new LambdaMessageHandler(function, source)) { BaseAddress = new Uri("https://lambda.test/") };
    }

    protected override ValueTask StopAsync() => database.DisposeAsync();
}

public sealed class HttpApiV2HostFixture() : LambdaHostFixture(EventSource.HttpApiV2);

public sealed class FunctionUrlHostFixture() : LambdaHostFixture(EventSource.FunctionUrl);

/// <summary>The shared HTTP API suite through HTTP API (payload 2.0) events, the shape template.yaml deploys.</summary>
public sealed class LambdaHttpApiV2Tests(HttpApiV2HostFixture fixture) : CounterHttpApiTests(fixture), IClassFixture<HttpApiV2HostFixture>;

/// <summary>The shared HTTP API suite through Lambda function URL events, with base64-encoded bodies.</summary>
public sealed class LambdaFunctionUrlTests(FunctionUrlHostFixture fixture) : CounterHttpApiTests(fixture), IClassFixture<FunctionUrlHostFixture>;
