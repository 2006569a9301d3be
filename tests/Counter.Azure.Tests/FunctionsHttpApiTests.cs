using System.Net;
using System.Net.Http.Headers;
using Counter.Azure.Functions;
using Counter.Http;
using Counter.Testing;
using Counter.Testing.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;

namespace Counter.Azure.Tests;

/// <summary>Turns each HTTP request into the HttpContext the isolated worker hands a function, and the answer back.</summary>
/// <remarks>The function is picked by the routes the Functions host would match, with the route prefix removed.</remarks>
internal sealed class FunctionsMessageHandler(CounterFunctions functions) : HttpMessageHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var context = new DefaultHttpContext();
        var feature = context.Features.Get<IHttpRequestFeature>()!;
        var rawTarget = request.RequestUri!.PathAndQuery;
        var query = rawTarget.IndexOf('?', StringComparison.Ordinal);
        feature.Method = request.Method.Method;
        feature.RawTarget = rawTarget;
        feature.Path = PathString.FromUriComponent(query < 0 ? rawTarget : rawTarget[..query]).Value!;
        feature.QueryString = query < 0 ? string.Empty : rawTarget[query..];
        foreach (var (name, values) in request.Headers)
        {
            context.Request.Headers[name] = values.ToArray();
        }

        if (request.Content is not null)
        {
            foreach (var (name, values) in request.Content.Headers)
            {
                context.Request.Headers[name] = values.ToArray();
            }

            context.Request.Body = await request.Content.ReadAsStreamAsync(cancellationToken);
        }

        using var body = new MemoryStream();
        context.Response.Body = body;

        await FunctionRequests.InvokeRoutedAsync(functions, context);

        var response = new HttpResponseMessage((HttpStatusCode)context.Response.StatusCode)
        {
            Content = new ByteArrayContent(body.ToArray()),
            RequestMessage = request,
        };
        foreach (var (name, values) in context.Response.Headers)
        {
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                response.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(values.ToString());
            }
            else if (!response.Headers.TryAddWithoutValidation(name, values.ToArray()))
            {
                response.Content.Headers.TryAddWithoutValidation(name, values.ToArray());
            }
        }

        return response;
    }
}

/// <summary>The Functions app's classes over Table Storage on Azurite, reached through worker-shaped HttpContexts.</summary>
public sealed class FunctionsHostFixture : CounterHostFixture
{
    private readonly AzuriteFixture storage = new();

    protected override async ValueTask<HttpClient> StartAsync()
    {
        await storage.InitializeAsync();
        if (storage.MissingReason is { } missing)
        {
            throw new EmulatorNotFoundException(missing);
        }

        var functions = new CounterFunctions(new CounterHttpHandler(new CounterService(storage.Store)));
        return new HttpClient(new FunctionsMessageHandler(functions)) { BaseAddress = new Uri("https://functions.test/") };
    }

    protected override ValueTask StopAsync() => storage.DisposeAsync();
}

/// <summary>The shared HTTP API suite through the Azure Functions classes.</summary>
public sealed class FunctionsHttpApiTests(FunctionsHostFixture fixture) : CounterHttpApiTests(fixture), IClassFixture<FunctionsHostFixture>;
