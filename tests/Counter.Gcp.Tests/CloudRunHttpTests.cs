using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Counter.Gcp.Tests;

/// <summary>The Cloud Run service, run as a process and driven over real HTTP: the same API as every other host.</summary>
public sealed class CloudRunHttpTests(CloudRunHostFixture fixture) : IClassFixture<CloudRunHostFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private HttpClient Client => fixture.Client;

    private static string NewName() => $"http-{Guid.NewGuid():N}";

    [Fact]
    public async Task Counter_PutPostGetDelete_RoundTrips()
    {
        var name = NewName();
        var path = $"/counters/{Uri.EscapeDataString(name + "/a b")}";

        Assert.Equal((name + "/a b", 1), await ValueAsync(await Client.PostAsync(path, null, Cancel)));
        Assert.Equal((name + "/a b", 6), await ValueAsync(await Client.PostAsync(path, Json("""{"by": 5}"""), Cancel)));
        Assert.Equal((name + "/a b", 6), await ValueAsync(await Client.GetAsync(path, Cancel)));
        Assert.Equal((name + "/a b", 42), await ValueAsync(await Client.PutAsync(path, Json("""{"value": 42}"""), Cancel)));
        Assert.Equal((name + "/a b", 41), await ValueAsync(await Client.PostAsync(path, Json("""{"by": -1}"""), Cancel)));

        using var deleted = await Client.DeleteAsync(path, Cancel);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal((name + "/a b", 0), await ValueAsync(await Client.GetAsync(path, Cancel)));
    }

    [Fact]
    public async Task TutorialRoute_Post_ReturnsCounterShape()
    {
        using var first = await Client.PostAsync("/counter", null, Cancel);
        using var second = await Client.PostAsync("/counter", null, Cancel);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var before = (await first.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("counter").GetInt64();
        var after = (await second.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("counter").GetInt64();
        Assert.True(after > before);
    }

    [Fact]
    public async Task Healthz_RunningEmulator_ReturnsOk()
    {
        using var response = await Client.GetAsync("/healthz", Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", (await response.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("POST", "/counters/bell%07", null, null, 400, "invalid-name")]
    [InlineData("POST", "/counters/x", "application/json", """{"by": 0}""", 400, "invalid-body")]
    [InlineData("POST", "/counters/x", "application/json", "{not json", 400, "invalid-body")]
    [InlineData("POST", "/counters/x", "application/json", """{"by": 1, "min": 5, "max": 1}""", 400, "invalid-body")]
    [InlineData("PUT", "/counters/x", "application/json", "{}", 400, "invalid-body")]
    [InlineData("POST", "/counters/x", "text/plain", "by=1", 415, "unsupported-media-type")]
    [InlineData("GET", "/nowhere", null, null, 404, "not-found")]
    [InlineData("PATCH", "/counters/x", null, null, 405, "method-not-allowed")]
    [InlineData("GET", "/counter", null, null, 405, "method-not-allowed")]
    [InlineData("POST", "/healthz", null, null, 405, "method-not-allowed")]
    public async Task Request_Invalid_AnswersProblem(string method, string path, string? contentType, string? body, int status, string type)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, contentType!);
        }

        using var response = await Client.SendAsync(request, Cancel);

        await AssertProblemAsync(response, status, type);
        if (status == 405)
        {
            Assert.NotEmpty(response.Content.Headers.Allow);
        }
    }

    [Fact]
    public async Task Patch_CounterRoute_AllowsTheFourMethods()
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, "/counters/x");

        using var response = await Client.SendAsync(request, Cancel);

        await AssertProblemAsync(response, 405, "method-not-allowed");
        Assert.Equal(["GET", "POST", "PUT", "DELETE"], response.Content.Headers.Allow);
    }

    [Fact]
    public async Task Post_BodyOver4096Bytes_Answers413()
    {
        var body = $$"""{"by": 1, "pad": "{{new string('x', 5000)}}"}""";

        using var response = await Client.PostAsync($"/counters/{NewName()}", Json(body), Cancel);

        await AssertProblemAsync(response, 413, "body-too-large");
    }

    [Fact]
    public async Task Post_InvalidIdempotencyKey_Answers400()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/counters/{NewName()}");
        request.Headers.TryAddWithoutValidation("Idempotency-Key", new string('k', 300));

        using var response = await Client.SendAsync(request, Cancel);

        await AssertProblemAsync(response, 400, "invalid-idempotency-key");
    }

    [Fact]
    public async Task Post_RepeatedIdempotencyKey_ReplaysFirstValue()
    {
        var path = $"/counters/{NewName()}";
        var key = Guid.NewGuid().ToString();

        using var first = await PostWithKeyAsync(path, key);
        using var second = await PostWithKeyAsync(path, key);

        Assert.Equal(1, (await ValueAsync(first)).Value);
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(1, (await ValueAsync(second)).Value);
        Assert.Equal("true", Assert.Single(second.Headers.GetValues("Idempotent-Replayed")));
    }

    [Fact]
    public async Task Post_AboveMax_Answers409WithCurrent()
    {
        var path = $"/counters/{NewName()}";
        (await Client.PutAsync(path, Json("""{"value": 3}"""), Cancel)).Dispose();

        using var response = await Client.PostAsync(path, Json("""{"by": 1, "max": 3}"""), Cancel);

        var problem = await AssertProblemAsync(response, 409, "out-of-bounds");
        Assert.Equal(3, problem.GetProperty("current").GetInt64());
        Assert.Equal(3, (await ValueAsync(await Client.GetAsync(path, Cancel))).Value);
    }

    [Theory]
    [InlineData(long.MaxValue, 1)]
    [InlineData(long.MinValue, -1)]
    [InlineData(long.MaxValue - 5, 6)]
    public async Task Post_PastInt64Limit_Answers409OverflowAndLeavesValue(long start, long by)
    {
        var path = $"/counters/{NewName()}";
        (await Client.PutAsync(path, Json($$"""{"value": {{start}}}"""), Cancel)).Dispose();

        using var response = await Client.PostAsync(path, Json($$"""{"by": {{by}}}"""), Cancel);

        var problem = await AssertProblemAsync(response, 409, "overflow");
        Assert.Equal(start, problem.GetProperty("current").GetInt64());
        Assert.Equal(start, (await ValueAsync(await Client.GetAsync(path, Cancel))).Value);
    }

    [Fact]
    public async Task Post_OneBelowInt64Max_ReachesMaxThenRefuses()
    {
        var path = $"/counters/{NewName()}";
        (await Client.PutAsync(path, Json($$"""{"value": {{long.MaxValue - 1}}}"""), Cancel)).Dispose();

        Assert.Equal(long.MaxValue, (await ValueAsync(await Client.PostAsync(path, null, Cancel))).Value);
        using var refused = await Client.PostAsync(path, null, Cancel);

        Assert.Equal(long.MaxValue, (await AssertProblemAsync(refused, 409, "overflow")).GetProperty("current").GetInt64());
        Assert.Equal(long.MaxValue, (await ValueAsync(await Client.GetAsync(path, Cancel))).Value);
    }

    [Fact]
    public async Task Post_64Concurrent_EndExactWithNo500()
    {
        var path = $"/counters/{NewName()}";

        var responses = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Task.Run(
            async () =>
            {
                using var response = await Client.PostAsync(path, null, Cancel);
                return (response.StatusCode, Body: await response.Content.ReadAsStringAsync(Cancel));
            },
            Cancel)));

        Assert.All(responses, r => Assert.True(r.StatusCode == HttpStatusCode.OK, $"{(int)r.StatusCode}: {r.Body}"));
        var values = responses.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("value").GetInt64()).Order();
        Assert.Equal(Enumerable.Range(1, 64).Select(i => (long)i), values);
        Assert.Equal(64, (await ValueAsync(await Client.GetAsync(path, Cancel))).Value);
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private async Task<HttpResponseMessage> PostWithKeyAsync(string path, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        request.Headers.Add("Idempotency-Key", key);
        return await Client.SendAsync(request, Cancel);
    }

    private static async Task<(string Name, long Value)> ValueAsync(HttpResponseMessage response)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(Cancel);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            var body = JsonDocument.Parse(text).RootElement;
            return (body.GetProperty("name").GetString()!, body.GetProperty("value").GetInt64());
        }
    }

    private static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, int status, string type)
    {
        var text = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.Equal($"urn:counter:problem:{type}", problem.GetProperty("type").GetString());
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        return problem;
    }
}
