using System.Text;
using System.Text.Json;
using Counter.Http;
using Counter.Stores;

namespace Counter.Core.Tests;

/// <summary>Handler behaviour a real store cannot easily show: failing stores, and path details.</summary>
public sealed class CounterHttpHandlerTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Handle_StoreUnavailable_Returns503WithRetryAfter()
    {
        var handler = new CounterHttpHandler(new CounterService(new FailingStore(new CounterStoreUnavailableException("down", retryAfter: TimeSpan.FromSeconds(2.5)))));

        var response = await handler.HandleAsync(new CounterHttpRequest { Method = "POST", RawPath = "/counters/x" }, Cancel);

        Assert.Equal(503, response.StatusCode);
        Assert.Equal("application/problem+json", response.ContentType);
        Assert.Contains(new KeyValuePair<string, string>("Retry-After", "3"), response.Headers);
        Assert.Equal(Problems.StoreUnavailable, Json(response).GetProperty("type").GetString());
    }

    [Fact]
    public async Task Handle_StoreUnavailableOnHealth_Returns503()
    {
        var handler = new CounterHttpHandler(new CounterService(new FailingStore(new CounterStoreUnavailableException("down"))));

        var response = await handler.HandleAsync(new CounterHttpRequest { Method = "GET", RawPath = "/healthz" }, Cancel);

        Assert.Equal(503, response.StatusCode);
        Assert.Contains(new KeyValuePair<string, string>("Retry-After", "1"), response.Headers);
    }

    [Fact]
    public async Task Handle_StoreBug_Returns500WithoutDetails()
    {
        var handler = new CounterHttpHandler(new CounterService(new FailingStore(new InvalidOperationException("secret internals"))));

        var response = await handler.HandleAsync(new CounterHttpRequest { Method = "GET", RawPath = "/counters/x" }, Cancel);

        Assert.Equal(500, response.StatusCode);
        var body = Encoding.UTF8.GetString(response.Body.Span);
        Assert.DoesNotContain("secret", body, StringComparison.Ordinal);
        Assert.Equal(Problems.InternalError, Json(response).GetProperty("type").GetString());
    }

    [Theory]
    [InlineData("/counters/a%2Fb?x=1", "a/b")]
    [InlineData("/counters/a/b", "a/b")]
    [InlineData("/counters/%F0%9F%98%80", "😀")]
    [InlineData("/counters/caf%C3%A9", "café")]
    [InlineData("/counters/cafe%CC%81", "café")]
    [InlineData("/counters/%2e%2E", "..")]
    [InlineData("/counters/a+b", "a+b")]
    public async Task Handle_EncodedPath_DecodesWholeRestAsName(string path, string expected)
    {
        var handler = new CounterHttpHandler(new CounterService(new InMemoryCounterStore()));

        var response = await handler.HandleAsync(new CounterHttpRequest { Method = "GET", RawPath = path }, Cancel);

        Assert.Equal(200, response.StatusCode);
        Assert.Equal(expected, Json(response).GetProperty("name").GetString());
    }

    [Fact]
    public async Task Handle_NonAsciiName_IsWrittenAsPlainUtf8()
    {
        var handler = new CounterHttpHandler(new CounterService(new InMemoryCounterStore()));

        var response = await handler.HandleAsync(new CounterHttpRequest { Method = "GET", RawPath = "/counters/caf%C3%A9%27s" }, Cancel);

        Assert.Equal("""{"name":"café's","value":0}""", Encoding.UTF8.GetString(response.Body.Span));
    }

    [Theory]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("APPLICATION/JSON")]
    [InlineData("application/merge-patch+json")]
    public async Task Handle_JsonMediaTypeVariants_AreAccepted(string contentType)
    {
        var handler = new CounterHttpHandler(new CounterService(new InMemoryCounterStore()));

        var response = await handler.HandleAsync(
            new CounterHttpRequest { Method = "POST", RawPath = "/counters/media", ContentType = contentType, Body = """{"by": 2}"""u8.ToArray() },
            Cancel);

        Assert.Equal(200, response.StatusCode);
    }

    [Theory]
    [InlineData("POST", """{"by": 1, "by": 2}""")]
    [InlineData("PUT", """{"value": 1, "by": 2}""")]
    public async Task Handle_UnknownOrRepeatedMember_SaysSo(string method, string body)
    {
        var handler = new CounterHttpHandler(new CounterService(new InMemoryCounterStore()));

        var response = await handler.HandleAsync(
            new CounterHttpRequest { Method = method, RawPath = "/counters/shape", ContentType = "application/json", Body = Encoding.UTF8.GetBytes(body) },
            Cancel);

        Assert.Equal(400, response.StatusCode);
        Assert.Contains("unknown or repeated member", Json(response).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("+json")]
    [InlineData("application/json; charset=latin1")]
    public async Task Handle_NotQuiteJsonMediaType_Returns415(string contentType)
    {
        var handler = new CounterHttpHandler(new CounterService(new InMemoryCounterStore()));

        var response = await handler.HandleAsync(
            new CounterHttpRequest { Method = "POST", RawPath = "/counters/media", ContentType = contentType, Body = """{"by": 2}"""u8.ToArray() },
            Cancel);

        Assert.Equal(415, response.StatusCode);
    }

    [Fact]
    public async Task Handle_BodyWithoutContentType_Returns415()
    {
        var handler = new CounterHttpHandler(new CounterService(new InMemoryCounterStore()));

        var response = await handler.HandleAsync(
            new CounterHttpRequest { Method = "POST", RawPath = "/counters/untyped", Body = """{"by": 2}"""u8.ToArray() }, Cancel);

        Assert.Equal(415, response.StatusCode);
    }

    private static JsonElement Json(CounterHttpResponse response) => JsonDocument.Parse(response.Body).RootElement;

    private sealed class FailingStore(Exception error) : ICounterStore
    {
        public ValueTask<IncrementOutcome> IncrementAsync(IncrementRequest request, CancellationToken cancellationToken) => throw error;

        public ValueTask<long> GetAsync(CounterName name, CancellationToken cancellationToken) => throw error;

        public ValueTask SetAsync(CounterName name, long value, CancellationToken cancellationToken) => throw error;

        public ValueTask DeleteAsync(CounterName name, CancellationToken cancellationToken) => throw error;

        public ValueTask CheckHealthAsync(CancellationToken cancellationToken) => throw error;
    }
}
