using Counter.Http;

namespace Counter.Aws.Tests;

/// <summary>The Lambda entry point over the real store on moto_server: concurrency and configuration from the environment.</summary>
public sealed class LambdaOnDynamoDbTests(MotoFixture fixture) : IClassFixture<MotoFixture>
{
    [Fact]
    public async Task HandleAsync_64ConcurrentIncrements_ReturnEachValueOnceAndEndExact()
    {
        var function = new LambdaEntryPoint(new CounterHttpHandler(new CounterService(fixture.Store)));
        var name = $"lambda-{Guid.NewGuid():N}";
        var sources = new[] { EventSource.RestApiV1, EventSource.HttpApiV2, EventSource.FunctionUrl };

        using var start = new ManualResetEventSlim(false);
        var calls = Enumerable.Range(0, 64)
            .Select(i => Task.Run(
                () =>
                {
                    start.Wait(TestContext.Current.CancellationToken);
                    return LambdaResponse.InvokeAsync(function, LambdaEvents.Request(sources[i % 3], "POST", "/counters/" + name));
                },
                TestContext.Current.CancellationToken))
            .ToArray();
        start.Set();
        var responses = await Task.WhenAll(calls);

        Assert.All(responses, r => Assert.Equal(200, r.StatusCode));
        Assert.Equal(Enumerable.Range(1, 64).Select(i => (long)i), responses.Select(r => r.BodyJson!["value"]!.GetValue<long>()).Order());
        var final = await LambdaResponse.InvokeAsync(function, LambdaEvents.Request(EventSource.HttpApiV2, "GET", "/counters/" + name));
        Assert.Equal(64, final.BodyJson!["value"]!.GetValue<long>());
    }

    [Fact]
    public async Task HandleAsync_RetriedWithIdempotencyKey_AppliesOnceAndSaysReplayed()
    {
        var function = new LambdaEntryPoint(new CounterHttpHandler(new CounterService(fixture.Store)));
        var path = $"/counters/keyed-{Guid.NewGuid():N}";
        var key = new Dictionary<string, string> { ["Idempotency-Key"] = Guid.NewGuid().ToString() };

        var first = await LambdaResponse.InvokeAsync(
            function, LambdaEvents.Request(EventSource.RestApiV1, "POST", path, "{\"by\": 5}", headers: key));
        var retry = await LambdaResponse.InvokeAsync(
            function, LambdaEvents.Request(EventSource.HttpApiV2, "POST", path, "{\"by\": 5}", headers: key));

        Assert.Equal(5, first.BodyJson!["value"]!.GetValue<long>());
        Assert.Equal(5, retry.BodyJson!["value"]!.GetValue<long>());
        Assert.Equal("true", retry.Header("Idempotent-Replayed"));
    }

    [Fact]
    public async Task DefaultConstructor_ConfiguredByEnvironment_BuildsOneHandlerPerProcess()
    {
        _ = fixture.Store;
        Environment.SetEnvironmentVariable("COUNTER_TABLE_NAME", fixture.Options.TableName);
        Environment.SetEnvironmentVariable("AWS_REGION", fixture.Options.Region);
        if (fixture.Endpoint is { } endpoint)
        {
            // An emulator takes any credentials; the default chain needs some to sign with.
            Environment.SetEnvironmentVariable("COUNTER_DYNAMODB_ENDPOINT", endpoint.ToString());
            Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID") ?? "test");
            Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY") ?? "test");
        }

        var first = new LambdaEntryPoint();
        var second = new LambdaEntryPoint();
        var path = $"/counters/env-{Guid.NewGuid():N}";
        var one = await LambdaResponse.InvokeAsync(first, LambdaEvents.Request(EventSource.HttpApiV2, "POST", path));
        var two = await LambdaResponse.InvokeAsync(second, LambdaEvents.Request(EventSource.FunctionUrl, "POST", path));

        Assert.Same(first.Handler, second.Handler);
        Assert.Equal(1, one.BodyJson!["value"]!.GetValue<long>());
        Assert.Equal(2, two.BodyJson!["value"]!.GetValue<long>());
    }
}
