using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Xunit;

namespace Counter.Testing.Http;

/// <summary>
/// The HTTP API every host serves identically: routes, bodies, headers and every error row. A host's test class
/// derives from this with its fixture and adds nothing. The fixture's store starts empty or persistent; each test
/// uses fresh counter names.
/// </summary>
public abstract partial class CounterHttpApiTests
{
    private readonly CounterHostFixture fixture;

    /// <summary>Initializes a new instance of the <see cref="CounterHttpApiTests"/> class.</summary>
    protected CounterHttpApiTests(CounterHostFixture fixture)
    {
        ArgumentNullException.ThrowIfNull(fixture);
        this.fixture = fixture;
    }

    /// <summary>Gets a client whose base address is the host's root.</summary>
    protected HttpClient Client => fixture.Client;

    /// <summary>Gets a cancellation token that ends with the test.</summary>
    protected static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>Returns a counter name no other test uses.</summary>
    protected static string NewName(string prefix = "h") => $"{prefix}-{Guid.NewGuid():N}";

    /// <summary>Returns the path of a counter, percent-encoding every byte of the name that needs it.</summary>
    protected static string PathOf(string name) => "/counters/" + Uri.EscapeDataString(name);

    [Fact]
    public virtual async Task Post_NoBody_IncrementsByOne()
    {
        var name = NewName();

        using var first = await SendAsync(HttpMethod.Post, PathOf(name));
        using var second = await SendAsync(HttpMethod.Post, PathOf(name));

        await AssertCounterAsync(first, name, 1);
        await AssertCounterAsync(second, name, 2);
    }

    [Fact]
    public virtual async Task Post_WithBy_AddsBy()
    {
        var name = NewName();

        using var up = await SendAsync(HttpMethod.Post, PathOf(name), """{"by": 10}""");
        using var down = await SendAsync(HttpMethod.Post, PathOf(name), """{"by": -3}""");

        await AssertCounterAsync(up, name, 10);
        await AssertCounterAsync(down, name, 7);
    }

    [Fact]
    public virtual async Task Post_WithinBounds_Applies()
    {
        var name = NewName();

        using var response = await SendAsync(HttpMethod.Post, PathOf(name), """{"by": 5, "min": 0, "max": 5}""");

        await AssertCounterAsync(response, name, 5);
    }

    [Fact]
    public virtual async Task Post_UnescapedSlashesInPath_CountTheWholePath()
    {
        var stem = NewName("blog");

        using var response = await SendAsync(HttpMethod.Post, $"/counters/{stem}/2026/hello");
        using var read = await SendAsync(HttpMethod.Get, "/counters/" + Uri.EscapeDataString($"{stem}/2026/hello"));

        await AssertCounterAsync(response, $"{stem}/2026/hello", 1);
        await AssertCounterAsync(read, $"{stem}/2026/hello", 1);
    }

    [Theory]
    [InlineData(" spaced name ")]
    [InlineData("100%")]
    [InlineData("why?")]
    [InlineData("#hash")]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("__x__")]
    [InlineData("😀 emoji")]
    [InlineData("a+b")]
    [InlineData("back\\slash")]
    public virtual async Task Post_EscapedAwkwardName_CountsThatExactName(string suffix)
    {
        // Prefixed so that parallel runs against one persistent store never share a counter.
        var name = suffix is "." or ".." ? suffix : NewName() + suffix;
        using (await SendAsync(HttpMethod.Put, PathOf(name), """{"value": 0}""")) { }

        using var response = await SendAsync(HttpMethod.Post, PathOf(name));

        await AssertCounterAsync(response, name, 1);
        using var read = await SendAsync(HttpMethod.Get, PathOf(name));
        await AssertCounterAsync(read, name, 1);
    }

    [Fact]
    public virtual async Task Get_NeverWritten_ReturnsZero()
    {
        var name = NewName();

        using var response = await SendAsync(HttpMethod.Get, PathOf(name));

        await AssertCounterAsync(response, name, 0);
    }

    [Fact]
    public virtual async Task Put_SetsValue_AndDeleteResets()
    {
        var name = NewName();

        using var set = await SendAsync(HttpMethod.Put, PathOf(name), """{"value": 42}""");
        await AssertCounterAsync(set, name, 42);
        using var increment = await SendAsync(HttpMethod.Post, PathOf(name));
        await AssertCounterAsync(increment, name, 43);

        using var delete = await SendAsync(HttpMethod.Delete, PathOf(name));
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.Empty(await delete.Content.ReadAsByteArrayAsync(Cancel));
        using var read = await SendAsync(HttpMethod.Get, PathOf(name));
        await AssertCounterAsync(read, name, 0);
    }

    [Fact]
    public virtual async Task PostCounter_TutorialRoute_AnswersInTutorialShape()
    {
        using var first = await SendAsync(HttpMethod.Post, "/counter");
        using var second = await SendAsync(HttpMethod.Post, "/counter");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        using var firstBody = await ReadJsonAsync(first);
        using var secondBody = await ReadJsonAsync(second);
        var before = firstBody.RootElement.GetProperty("counter").GetInt64();
        var after = secondBody.RootElement.GetProperty("counter").GetInt64();
        Assert.True(after > before, $"POST /counter should count up: {before} then {after}.");
        Assert.Single(firstBody.RootElement.EnumerateObject());
    }

    [Fact]
    public virtual async Task GetHealthz_StoreUp_ReturnsOk()
    {
        using var response = await SendAsync(HttpMethod.Get, "/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public virtual async Task Post_RepeatedIdempotencyKey_ReplaysFirstResponse()
    {
        var name = NewName();
        var key = Guid.NewGuid().ToString();

        using var first = await SendAsync(HttpMethod.Post, PathOf(name), """{"by": 3}""", ("idempotency-key", key));
        using var replay = await SendAsync(HttpMethod.Post, PathOf(name), """{"by": 3}""", ("IDEMPOTENCY-KEY", key));

        await AssertCounterAsync(first, name, 3);
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        await AssertCounterAsync(replay, name, 3);
        Assert.Equal("true", Assert.Single(replay.Headers.GetValues("Idempotent-Replayed")));
        using var read = await SendAsync(HttpMethod.Get, PathOf(name));
        await AssertCounterAsync(read, name, 3);
    }

    [Fact]
    public virtual async Task Post_64Concurrent_ReturnEachValueOnceAndEndAt64()
    {
        var name = NewName();

        var values = await Task.WhenAll(Enumerable.Range(0, 64).Select(async _ =>
        {
            using var response = await SendAsync(HttpMethod.Post, PathOf(name));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var body = await ReadJsonAsync(response);
            return body.RootElement.GetProperty("value").GetInt64();
        }));

        Assert.Equal(Enumerable.Range(1, 64).Select(i => (long)i), values.Order());
        using var read = await SendAsync(HttpMethod.Get, PathOf(name));
        await AssertCounterAsync(read, name, 64);
    }

    /// <summary>Sends a request; a body is sent as <c>application/json</c> unless a Content-Type header is given.</summary>
    protected async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? body = null, params (string Name, string Value)[] headers)
    {
        ArgumentNullException.ThrowIfNull(headers);

        // The path goes on the wire exactly as written: no unescaping, no dot-segment removal, no re-escaping of a
        // stray '%'. Names such as ".." and malformed escapes are what the API itself must judge.
        var baseAddress = Client.BaseAddress ?? throw new InvalidOperationException("The host fixture's client has no BaseAddress.");
        var uri = new Uri(
            baseAddress.GetLeftPart(UriPartial.Authority) + path,
            new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
        using var request = new HttpRequestMessage(method, uri);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        foreach (var (name, value) in headers)
        {
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                request.Content!.Headers.ContentType = MediaTypeHeaderValue.Parse(value);
            }
            else
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return await Client.SendAsync(request, Cancel).ConfigureAwait(false);
    }

    /// <summary>Reads a response body as JSON.</summary>
    protected static async Task<JsonDocument> ReadJsonAsync(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var bytes = await response.Content.ReadAsByteArrayAsync(Cancel).ConfigureAwait(false);
        return JsonDocument.Parse(bytes);
    }

    /// <summary>Asserts a 200 JSON answer <c>{"name": name, "value": value}</c>.</summary>
    protected static async Task AssertCounterAsync(HttpResponseMessage response, string name, long value)
    {
        ArgumentNullException.ThrowIfNull(response);

        var text = await response.Content.ReadAsStringAsync(Cancel).ConfigureAwait(false);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Expected 200, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(text);
        Assert.Equal(name.Normalize(), body.RootElement.GetProperty("name").GetString());
        Assert.Equal(value, body.RootElement.GetProperty("value").GetInt64());
    }
}
