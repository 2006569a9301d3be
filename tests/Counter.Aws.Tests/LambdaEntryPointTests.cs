using System.Text.Json.Nodes;
using Counter.Http;
using Counter.Stores;

namespace Counter.Aws.Tests;

/// <summary>The entry point's mapping of each event shape, over the in-memory store: Core's routes and errors, each source's answer shape.</summary>
public sealed class LambdaEntryPointTests
{
    private readonly LambdaEntryPoint function = new(new CounterHttpHandler(new CounterService(new InMemoryCounterStore())));

    [Theory]
    [MemberData(nameof(LambdaEvents.AllSources), MemberType = typeof(LambdaEvents))]
    public async Task HandleAsync_PostCounter_AnswersValueInTheSourcesShape(EventSource source)
    {
        var response = await InvokeAsync(source, "POST", "/counters/page-views", body: "{\"by\": 3}");

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("application/json", response.Header("Content-Type"));
        Assert.Equal(3, response.BodyJson!["value"]!.GetValue<long>());
        Assert.Equal("page-views", response.BodyJson!["name"]!.GetValue<string>());
        Assert.False(response.Raw["isBase64Encoded"]!.GetValue<bool>());

        // Payload 1.0 answers may carry multiValueHeaders; 2.0 and function URL answers have no such member.
        if (source == EventSource.RestApiV1)
        {
            Assert.Equal("application/json", response.Raw["multiValueHeaders"]!["Content-Type"]![0]!.GetValue<string>());
        }
        else
        {
            Assert.Null(response.Raw["multiValueHeaders"]);
        }
    }

    [Theory]
    [MemberData(nameof(LambdaEvents.AllSources), MemberType = typeof(LambdaEvents))]
    public async Task HandleAsync_Base64Body_IsDecoded(EventSource source)
    {
        var response = await InvokeAsync(source, "POST", "/counters/b64", body: "{\"by\": 41}", base64: true);

        Assert.Equal(200, response.StatusCode);
        Assert.Equal(41, response.BodyJson!["value"]!.GetValue<long>());
    }

    [Theory]
    [MemberData(nameof(LambdaEvents.AllSources), MemberType = typeof(LambdaEvents))]
    public async Task HandleAsync_HeaderNamesInAnyCase_AreRead(EventSource source)
    {
        var headers = new Dictionary<string, string> { ["IDEMPOTENCY-key"] = "retry-1" };

        var first = await InvokeAsync(
            source, "POST", "/counters/cased", "{\"by\": 2}", contentType: null, headers: With(headers, "CONTENT-TYPE", "application/json"));
        var again = await InvokeAsync(
            source, "POST", "/counters/cased", "{\"by\": 2}", contentType: null, headers: With(headers, "content-TYPE", "application/json"));

        Assert.Equal(2, first.BodyJson!["value"]!.GetValue<long>());
        Assert.Null(first.Header("Idempotent-Replayed"));
        Assert.Equal(2, again.BodyJson!["value"]!.GetValue<long>());
        Assert.Equal("true", again.Header("Idempotent-Replayed"));
    }

    [Theory]
    [MemberData(nameof(LambdaEvents.AllSources), MemberType = typeof(LambdaEvents))]
    public async Task HandleAsync_RepeatedQueryParameters_StillRouteToTheCounter(EventSource source)
    {
        var response = await InvokeAsync(source, "POST", "/counters/queried?tag=a&tag=b&x=1");

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("queried", response.BodyJson!["name"]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(LambdaEvents.AllSources), MemberType = typeof(LambdaEvents))]
    public async Task HandleAsync_AwkwardNames_KeepEveryCharacter(EventSource source)
    {
        // A slash, an encoded '?', a literal '%', and non-ASCII: each must reach Core as the same name.
        var response = await InvokeAsync(source, "POST", "/counters/blog/2026%3Fdraft%25/caf%C3%A9");

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("blog/2026?draft%/café", response.BodyJson!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task HandleAsync_RestApiStagePrefixInPath_IsIgnored()
    {
        // Through a custom domain, `path` may carry the stage or base path; the resource template has neither.
        var e = LambdaEvents.Request(EventSource.RestApiV1, "GET", "/counters/staged");
        e["path"] = "/prod/counters/staged";

        var response = await LambdaResponse.InvokeAsync(function, e);

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("staged", response.BodyJson!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task HandleAsync_RestApiWithoutResource_StripsStageFromPath()
    {
        var e = LambdaEvents.Request(EventSource.RestApiV1, "GET", "/healthz");
        e.Remove("resource");
        e["path"] = "/prod/healthz";
        e["requestContext"]!["path"] = "/prod/healthz";

        var response = await LambdaResponse.InvokeAsync(function, e);

        Assert.Equal(200, response.StatusCode);
    }

    [Theory]
    [InlineData(EventSource.HttpApiV2)]
    [InlineData(EventSource.FunctionUrl)]
    public async Task HandleAsync_NamedStageInRawPath_IsStripped(EventSource source)
    {
        var e = LambdaEvents.Request(source, "GET", "/prod/counters/staged");
        e["requestContext"]!["stage"] = "prod";

        var response = await LambdaResponse.InvokeAsync(function, e);

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("staged", response.BodyJson!["name"]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(LambdaEvents.AllSources), MemberType = typeof(LambdaEvents))]
    public async Task HandleAsync_TutorialAndHealthRoutes_Answer(EventSource source)
    {
        var tutorial = await InvokeAsync(source, "POST", "/counter");
        var health = await InvokeAsync(source, "GET", "/healthz");

        Assert.Equal(200, tutorial.StatusCode);
        Assert.Equal(1, tutorial.BodyJson!["counter"]!.GetValue<long>());
        Assert.Equal(200, health.StatusCode);
        Assert.Equal("ok", health.BodyJson!["status"]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(LambdaEvents.AllSources), MemberType = typeof(LambdaEvents))]
    public async Task HandleAsync_PutGetDelete_RoundTrip(EventSource source)
    {
        var put = await InvokeAsync(source, "PUT", "/counters/round", body: "{\"value\": 42}");
        var get = await InvokeAsync(source, "get", "/counters/round");
        var delete = await InvokeAsync(source, "DELETE", "/counters/round");
        var after = await InvokeAsync(source, "GET", "/counters/round");

        Assert.Equal(200, put.StatusCode);
        Assert.Equal(42, get.BodyJson!["value"]!.GetValue<long>());
        Assert.Equal(204, delete.StatusCode);
        Assert.Equal(string.Empty, delete.Body);
        Assert.Equal(0, after.BodyJson!["value"]!.GetValue<long>());
    }

    private static readonly string TooLarge = "{\"by\": 1, \"pad\": \"" + new string('x', CounterHttpHandler.MaxBodyBytes) + "\"}";

    public static TheoryData<EventSource, string, string, string?, string?, int, string> ErrorRows()
    {
        var rows = new TheoryData<EventSource, string, string, string?, string?, int, string>();
        foreach (var source in new[] { EventSource.RestApiV1, EventSource.HttpApiV2, EventSource.FunctionUrl })
        {
            rows.Add(source, "POST", "/counters/a", "{\"by\": 0}", "application/json", 400, Problems.InvalidBody);
            rows.Add(source, "POST", "/counters/a", "{\"by\": 1", "application/json", 400, Problems.InvalidBody);
            rows.Add(source, "POST", "/counters/a", "{\"by\": 1}", "text/plain", 415, Problems.UnsupportedMediaType);
            rows.Add(source, "POST", "/counters/a", TooLarge, "application/json", 413, Problems.BodyTooLarge);
            rows.Add(source, "POST", "/counters/ctl%07", null, null, 400, Problems.InvalidName);
            rows.Add(source, "GET", "/nothing/here", null, null, 404, Problems.NotFound);
            rows.Add(source, "PATCH", "/counters/a", null, null, 405, Problems.MethodNotAllowed);
            rows.Add(source, "GET", "/counter", null, null, 405, Problems.MethodNotAllowed);
            rows.Add(source, "POST", "/counters/a", null, null, 400, Problems.InvalidIdempotencyKey);
        }

        return rows;
    }

    [Theory]
    [MemberData(nameof(ErrorRows))]
    public async Task HandleAsync_BadRequest_AnswersCoresProblem(
        EventSource source, string method, string path, string? body, string? contentType, int status, string type)
    {
        // The last row sends an Idempotency-Key of a space, which Core refuses.
        var headers = type == Problems.InvalidIdempotencyKey ? new Dictionary<string, string> { ["Idempotency-Key"] = " " } : null;

        var response = await InvokeAsync(source, method, path, body, contentType: contentType, headers: headers);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Header("Content-Type"));
        Assert.Equal(type, response.BodyJson!["type"]!.GetValue<string>());
        if (status == 405)
        {
            Assert.NotNull(response.Header("Allow"));
        }
    }

    [Theory]
    [MemberData(nameof(LambdaEvents.AllSources), MemberType = typeof(LambdaEvents))]
    public async Task HandleAsync_OutOfBounds_Answers409WithCurrent(EventSource source)
    {
        await InvokeAsync(source, "PUT", "/counters/bounded", body: "{\"value\": 10}");

        var response = await InvokeAsync(source, "POST", "/counters/bounded", body: "{\"by\": 1, \"max\": 10}");

        Assert.Equal(409, response.StatusCode);
        Assert.Equal(Problems.OutOfBounds, response.BodyJson!["type"]!.GetValue<string>());
        Assert.Equal(10, response.BodyJson!["current"]!.GetValue<long>());
    }

    [Theory]
    [MemberData(nameof(LambdaEvents.AllSources), MemberType = typeof(LambdaEvents))]
    public async Task HandleAsync_StoreUnavailable_Answers503WithRetryAfter(EventSource source)
    {
        var failing = new LambdaEntryPoint(new CounterHttpHandler(new CounterService(new UnavailableStore())));

        var response = await LambdaResponse.InvokeAsync(failing, LambdaEvents.Request(source, "POST", "/counters/a"));

        Assert.Equal(503, response.StatusCode);
        Assert.Equal("3", response.Header("Retry-After"));
        Assert.Equal(Problems.StoreUnavailable, response.BodyJson!["type"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("{\"Records\": []}")]
    [InlineData("not json")]
    [InlineData("null")]
    public async Task HandleAsync_NotAnHttpEvent_ThrowsInvalidData(string input)
    {
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(input));

        await Assert.ThrowsAsync<InvalidDataException>(() => function.HandleAsync(stream));
    }

    private Task<LambdaResponse> InvokeAsync(
        EventSource source,
        string method,
        string path,
        string? body = null,
        bool base64 = false,
        string? contentType = "application/json",
        IReadOnlyDictionary<string, string>? headers = null) =>
        LambdaResponse.InvokeAsync(function, LambdaEvents.Request(source, method, path, body, base64, contentType, headers));

    private static Dictionary<string, string> With(Dictionary<string, string> headers, string name, string value) =>
        new(headers) { [name] = value };

    private sealed class UnavailableStore : ICounterStore
    {
        private static CounterStoreUnavailableException Error => new("down for the test", retryAfter: TimeSpan.FromSeconds(3));

        public ValueTask<IncrementOutcome> IncrementAsync(IncrementRequest request, CancellationToken cancellationToken) => throw Error;

        public ValueTask<long> GetAsync(CounterName name, CancellationToken cancellationToken) => throw Error;

        public ValueTask SetAsync(CounterName name, long value, CancellationToken cancellationToken) => throw Error;

        public ValueTask DeleteAsync(CounterName name, CancellationToken cancellationToken) => throw Error;

        public ValueTask CheckHealthAsync(CancellationToken cancellationToken) => throw Error;
    }
}
