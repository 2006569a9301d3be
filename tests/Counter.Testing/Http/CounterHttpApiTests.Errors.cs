using System.Net;
using System.Text.Json;
using Xunit;

namespace Counter.Testing.Http;

public abstract partial class CounterHttpApiTests
{
    [Theory]
    [InlineData("/counters/")]
    [InlineData("/counters/bell%07")]
    [InlineData("/counters/bad%ZZescape")]
    [InlineData("/counters/%FF%FE")]
    [InlineData("/counters/trailing%")]
    public virtual async Task Post_InvalidName_Returns400(string path)
    {
        using var response = await SendAsync(HttpMethod.Post, path);

        await AssertProblemAsync(response, 400, "invalid-name");
    }

    [Fact]
    public virtual async Task Post_NameOver256Bytes_Returns400()
    {
        using var response = await SendAsync(HttpMethod.Post, PathOf(new string('a', 257)));

        await AssertProblemAsync(response, 400, "invalid-name");
    }

    [Theory]
    [InlineData("""{"by": 0}""")]
    [InlineData("""{"by": 1.5}""")]
    [InlineData("""{"by": "3"}""")]
    [InlineData("""{"by": 9223372036854775808}""")]
    [InlineData("""{"By": 2}""")]
    [InlineData("""{"by": 1, "by": 2}""")]
    [InlineData("""{"min": 5, "max": 1}""")]
    [InlineData("""{"by": 1""")]
    [InlineData("""[1]""")]
    [InlineData("""null""")]
    [InlineData("""{"by": null}""")]
    public virtual async Task Post_InvalidBody_Returns400AndChangesNothing(string body)
    {
        var name = NewName();

        using var response = await SendAsync(HttpMethod.Post, PathOf(name), body);

        await AssertProblemAsync(response, 400, "invalid-body");
        await AssertValueAsync(name, 0);
    }

    [Theory]
    [InlineData("")]
    [InlineData("""{"value": "42"}""")]
    [InlineData("""{"value": null}""")]
    [InlineData("""{"val": 42}""")]
    public virtual async Task Put_InvalidBody_Returns400(string body)
    {
        using var response = await SendAsync(HttpMethod.Put, PathOf(NewName()), body);

        await AssertProblemAsync(response, 400, "invalid-body");
    }

    [Fact]
    public virtual async Task Post_BodyOver4KiB_Returns413AndChangesNothing()
    {
        var name = NewName();
        var body = $$"""{"by": 1, "padding": "{{new string('x', 4200)}}"}""";

        using var response = await SendAsync(HttpMethod.Post, PathOf(name), body);

        await AssertProblemAsync(response, 413, "body-too-large");
        await AssertValueAsync(name, 0);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/json; charset=utf-16")]
    public virtual async Task Post_NonJsonBody_Returns415AndChangesNothing(string contentType)
    {
        var name = NewName();

        using var response = await SendAsync(HttpMethod.Post, PathOf(name), "by=3", ("Content-Type", contentType));

        await AssertProblemAsync(response, 415, "unsupported-media-type");
        await AssertValueAsync(name, 0);
    }

    [Theory]
    [InlineData("PATCH", "/counters/x", "GET, POST, PUT, DELETE")]
    [InlineData("GET", "/counter", "POST")]
    [InlineData("POST", "/healthz", "GET")]
    public virtual async Task WrongMethod_Returns405WithAllow(string method, string path, string allow)
    {
        using var response = await SendAsync(new HttpMethod(method), path);

        await AssertProblemAsync(response, 405, "method-not-allowed");
        Assert.Equal(allow, string.Join(", ", response.Content.Headers.Allow));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/nothing-here")]
    [InlineData("/counters")]
    public virtual async Task UnknownPath_Returns404(string path)
    {
        using var response = await SendAsync(HttpMethod.Get, path);

        await AssertProblemAsync(response, 404, "not-found");
    }

    [Fact]
    public virtual async Task Post_PastInt64Max_Returns409WithCurrentAndChangesNothing()
    {
        var name = NewName();
        using (await SendAsync(HttpMethod.Put, PathOf(name), $$"""{"value": {{long.MaxValue}}}""")) { }

        using var response = await SendAsync(HttpMethod.Post, PathOf(name));

        using var problem = await AssertProblemAsync(response, 409, "overflow");
        Assert.Equal(long.MaxValue, problem.RootElement.GetProperty("current").GetInt64());
        await AssertValueAsync(name, long.MaxValue);
    }

    [Fact]
    public virtual async Task Post_PastInt64Min_Returns409WithCurrentAndChangesNothing()
    {
        var name = NewName();
        using (await SendAsync(HttpMethod.Put, PathOf(name), $$"""{"value": {{long.MinValue}}}""")) { }

        using var response = await SendAsync(HttpMethod.Post, PathOf(name), """{"by": -1}""");

        using var problem = await AssertProblemAsync(response, 409, "overflow");
        Assert.Equal(long.MinValue, problem.RootElement.GetProperty("current").GetInt64());
        await AssertValueAsync(name, long.MinValue);
    }

    [Fact]
    public virtual async Task Post_OutOfBounds_Returns409WithCurrentAndChangesNothing()
    {
        var name = NewName();
        using (await SendAsync(HttpMethod.Post, PathOf(name), """{"by": 2}""")) { }

        using var response = await SendAsync(HttpMethod.Post, PathOf(name), """{"by": 1, "max": 2}""");

        using var problem = await AssertProblemAsync(response, 409, "out-of-bounds");
        Assert.Equal(2, problem.RootElement.GetProperty("current").GetInt64());
        await AssertValueAsync(name, 2);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    public virtual async Task Post_InvalidIdempotencyKey_Returns400AndChangesNothing(string key)
    {
        var name = NewName();

        using var response = await SendAsync(HttpMethod.Post, PathOf(name), null, ("Idempotency-Key", key));

        await AssertProblemAsync(response, 400, "invalid-idempotency-key");
        await AssertValueAsync(name, 0);
    }

    [Fact]
    public virtual async Task Post_TwoIdempotencyKeyHeaders_Returns400AndChangesNothing()
    {
        var name = NewName();

        using var response = await SendAsync(HttpMethod.Post, PathOf(name), null, ("Idempotency-Key", "first"), ("Idempotency-Key", "second"));

        await AssertProblemAsync(response, 400, "invalid-idempotency-key");
        await AssertValueAsync(name, 0);
    }

    [Fact]
    public virtual async Task Post_IdempotencyKeyOver255Chars_Returns400()
    {
        using var response = await SendAsync(HttpMethod.Post, PathOf(NewName()), null, ("Idempotency-Key", new string('k', 256)));

        await AssertProblemAsync(response, 400, "invalid-idempotency-key");
    }

    /// <summary>Asserts an RFC 9457 problem response of the given status and type, and returns its body.</summary>
    protected static async Task<JsonDocument> AssertProblemAsync(HttpResponseMessage response, int status, string typeSuffix)
    {
        ArgumentNullException.ThrowIfNull(response);

        var text = await response.Content.ReadAsStringAsync(Cancel).ConfigureAwait(false);
        Assert.True((int)response.StatusCode == status, $"Expected {status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonDocument.Parse(text);
        var root = body.RootElement;
        Assert.Equal("urn:counter:problem:" + typeSuffix, root.GetProperty("type").GetString());
        Assert.Equal(status, root.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(root.GetProperty("title").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(root.GetProperty("detail").GetString()));
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        return body;
    }

    /// <summary>Asserts the counter's value through <c>GET</c>.</summary>
    protected async Task AssertValueAsync(string name, long value)
    {
        using var response = await SendAsync(HttpMethod.Get, PathOf(name));
        await AssertCounterAsync(response, name, value);
    }
}
