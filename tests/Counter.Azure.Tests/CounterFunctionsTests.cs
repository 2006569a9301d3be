using System.Reflection;
using System.Text.Json;
using Counter.Azure.Functions;
using Counter.Http;
using Counter.Testing;
using Microsoft.Azure.Functions.Worker;
using static Counter.Azure.Tests.FunctionRequests;

namespace Counter.Azure.Tests;

public sealed class CounterFunctionsTests(AzuriteFixture fixture) : IClassFixture<AzuriteFixture>
{
    private CounterFunctions Functions => new(new CounterHttpHandler(new CounterService(fixture.Store)));

    private static string NewName() => $"f-{Guid.NewGuid():N}";

    [Fact]
    public async Task Counters_PostGetPutDelete_BehaveAsOnTheLocalHost()
    {
        var functions = Functions;
        var path = $"/counters/{NewName()}%2Fpage%20one";

        var posted = await SendAsync(functions, "POST", path);
        Assert.Equal(200, posted.Status);
        Assert.Equal("application/json", posted.ContentType);
        Assert.Equal(1, posted.Value);
        Assert.EndsWith("/page one", posted.Json!.Value.GetProperty("name").GetString(), StringComparison.Ordinal);

        Assert.Equal(8, (await SendAsync(functions, "POST", path, """{"by": 7}""")).Value);
        Assert.Equal(8, (await SendAsync(functions, "GET", path + "?verbose=1")).Value);
        Assert.Equal(42, (await SendAsync(functions, "PUT", path, """{"value": 42}""")).Value);

        var deleted = await SendAsync(functions, "DELETE", path);
        Assert.Equal(204, deleted.Status);
        Assert.Null(deleted.Json);
        Assert.Equal(0, (await SendAsync(functions, "GET", path)).Value);
    }

    [Fact]
    public async Task Counters_ChunkedBody_IsReadWhole()
    {
        var path = $"/counters/{NewName()}";

        var response = await SendAsync(Functions, "POST", path, """{"by": 12345, "max": 999999}""", chunked: true);

        Assert.Equal(200, response.Status);
        Assert.Equal(12345, response.Value);
    }

    [Fact]
    public async Task Counters_IdempotencyKeyRepeated_ReplaysWithHeader()
    {
        var functions = Functions;
        var path = $"/counters/{NewName()}";

        var first = await SendAsync(functions, "POST", path, """{"by": 5}""", idempotencyKey: "order/7#a?");
        var again = await SendAsync(functions, "POST", path, """{"by": 5}""", idempotencyKey: "order/7#a?");

        Assert.Equal(5, first.Value);
        Assert.False(first.Headers.ContainsKey("Idempotent-Replayed"));
        Assert.Equal(5, again.Value);
        Assert.Equal("true", again.Headers["Idempotent-Replayed"]);
    }

    [Fact]
    public async Task TutorialCounter_Post_ReturnsTheTutorialShape()
    {
        var response = await SendAsync(Functions, "POST", "/counter");

        Assert.Equal(200, response.Status);
        Assert.True(response.Json!.Value.GetProperty("counter").GetInt64() >= 1);
    }

    [Fact]
    public async Task Health_Get_ReturnsOk()
    {
        var response = await SendAsync(Functions, "GET", "/healthz");

        Assert.Equal(200, response.Status);
        Assert.Equal("ok", response.Json!.Value.GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("GET", "/counters/bell%07", null, "application/json", 400, "invalid-name")]
    [InlineData("GET", "/counters/%FF", null, "application/json", 400, "invalid-name")]
    [InlineData("POST", "/counters/x", "{\"by\": 0}", "application/json", 400, "invalid-body")]
    [InlineData("POST", "/counters/x", "{\"by\": 1}", "text/plain", 415, "unsupported-media-type")]
    [InlineData("GET", "/nowhere", null, "application/json", 404, "not-found")]
    [InlineData("GET", "/", null, "application/json", 404, "not-found")]
    public async Task Functions_BadRequests_AnswerWithTheLocalHostsProblems(
        string method, string path, string? body, string contentType, int status, string problem)
    {
        var response = await SendAsync(Functions, method, path, body, contentType);

        Assert.Equal(status, response.Status);
        Assert.Equal("application/problem+json", response.ContentType);
        Assert.Equal(Problems.TypePrefix + problem, response.ProblemType);
        Assert.Equal(status, response.Json!.Value.GetProperty("status").GetInt32());
    }

    [Theory]
    [InlineData("PATCH", "/counters/x", "GET, POST, PUT, DELETE")]
    [InlineData("GET", "/counter", "POST")]
    [InlineData("POST", "/healthz", "GET")]
    public async Task Functions_WrongMethod_Answers405WithAllow(string method, string path, string allow)
    {
        var response = await SendAsync(Functions, method, path);

        Assert.Equal(405, response.Status);
        Assert.Equal(allow, response.Headers["Allow"]);
        Assert.Equal(Problems.MethodNotAllowed, response.ProblemType);
    }

    [Fact]
    public async Task Counters_BodyOver4KiB_Answers413()
    {
        var body = "{\"by\": 1" + new string(' ', 5000) + "}";

        var response = await SendAsync(Functions, "POST", $"/counters/{NewName()}", body, chunked: true);

        Assert.Equal(413, response.Status);
        Assert.Equal(Problems.BodyTooLarge, response.ProblemType);
    }

    [Fact]
    public async Task Counters_Overflow_Answers409WithCurrent()
    {
        var functions = Functions;
        var path = $"/counters/{NewName()}";
        await SendAsync(functions, "PUT", path, $$"""{"value": {{long.MaxValue}}}""");

        var response = await SendAsync(functions, "POST", path);

        Assert.Equal(409, response.Status);
        Assert.Equal(Problems.Overflow, response.ProblemType);
        Assert.Equal(long.MaxValue, response.Json!.Value.GetProperty("current").GetInt64());
    }

    [Fact]
    public async Task Counters_OutOfBounds_Answers409WithCurrentAndChangesNothing()
    {
        var functions = Functions;
        var path = $"/counters/{NewName()}";
        await SendAsync(functions, "POST", path, """{"by": 3}""");

        var response = await SendAsync(functions, "POST", path, """{"by": 5, "max": 4}""");

        Assert.Equal(409, response.Status);
        Assert.Equal(Problems.OutOfBounds, response.ProblemType);
        Assert.Equal(3, response.Json!.Value.GetProperty("current").GetInt64());
        Assert.Equal(3, (await SendAsync(functions, "GET", path)).Value);
    }

    [Theory]
    [InlineData(16)]
    [InlineData(64)]
    public async Task Counters_ConcurrentPosts_AllSucceedAndEndExact(int callers)
    {
        var functions = Functions;
        var path = $"/counters/{NewName()}";

        using var start = new ManualResetEventSlim();
        var calls = Enumerable.Range(0, callers)
            .Select(_ => Task.Run(
                async () =>
                {
                    start.Wait(TestContext.Current.CancellationToken);
                    return await SendAsync(functions, "POST", path);
                },
                TestContext.Current.CancellationToken))
            .ToArray();
        start.Set();
        var responses = await Task.WhenAll(calls);

        Assert.All(responses, r => Assert.Equal(200, r.Status));
        Assert.Equal(Enumerable.Range(1, callers).Select(i => (long)i), responses.Select(r => r.Value).Order());
        Assert.Equal(callers, (await SendAsync(functions, "GET", path)).Value);
    }

    [Fact]
    public void Functions_Routes_MatchTheOtherHostsAndAskForAFunctionKey()
    {
        var triggers = typeof(CounterFunctions).GetMethods()
            .Select(m => m.GetParameters().SingleOrDefault()?.GetCustomAttribute<HttpTriggerAttribute>())
            .OfType<HttpTriggerAttribute>()
            .ToList();

        Assert.Equal(["counters/{*name}", "counter", "healthz", "{*path}"], triggers.Select(t => t.Route));
        Assert.All(triggers, t => Assert.Equal(AuthorizationLevel.Function, t.AuthLevel));
        Assert.All(triggers, t => Assert.Null(t.Methods));
    }

    [Fact]
    public void HostJson_RemovesTheRoutePrefix()
    {
        using var hostJson = JsonDocument.Parse(File.ReadAllText(
            Path.Combine(TestEnvironment.RepositoryRoot, "src", "Counter.Azure.Functions", "host.json")));

        Assert.Equal("2.0", hostJson.RootElement.GetProperty("version").GetString());
        Assert.Equal(string.Empty, hostJson.RootElement.GetProperty("extensions").GetProperty("http").GetProperty("routePrefix").GetString());
    }
}
