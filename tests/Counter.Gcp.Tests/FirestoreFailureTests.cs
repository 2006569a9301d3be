using System.Net;
using System.Text;
using Counter.Testing;
using Microsoft.Extensions.Options;

namespace Counter.Gcp.Tests;

/// <summary>How the store retries, and what the caller sees when Firestore keeps failing: never a provider exception.</summary>
public sealed class FirestoreFailureTests(FirestoreFixture fixture) : IClassFixture<FirestoreFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static CounterName NewName() => CounterName.Parse($"fail-{Guid.NewGuid():N}");

    [Fact]
    public async Task EveryOperation_NothingListening_ThrowsStoreUnavailable()
    {
        using var store = new FirestoreCounterStore(Options.Create(new FirestoreCounterStoreOptions
        {
            EmulatorHost = $"127.0.0.1:{EmulatorProcess.FreePort()}",
            RetryBudget = TimeSpan.FromMilliseconds(300),
        }));
        var name = NewName();

        await Assert.ThrowsAsync<CounterStoreUnavailableException>(() => store.IncrementAsync(new IncrementRequest(name, 1), Cancel).AsTask());
        await Assert.ThrowsAsync<CounterStoreUnavailableException>(
            () => store.IncrementAsync(new IncrementRequest(name, 1, max: 5, idempotencyKey: "k"), Cancel).AsTask());
        await Assert.ThrowsAsync<CounterStoreUnavailableException>(() => store.GetAsync(name, Cancel).AsTask());
        await Assert.ThrowsAsync<CounterStoreUnavailableException>(() => store.SetAsync(name, 1, Cancel).AsTask());
        await Assert.ThrowsAsync<CounterStoreUnavailableException>(() => store.DeleteAsync(name, Cancel).AsTask());
        await Assert.ThrowsAsync<CounterStoreUnavailableException>(() => store.CheckHealthAsync(Cancel).AsTask());
    }

    [Theory]
    [InlineData(409, "ABORTED")]
    [InlineData(429, "RESOURCE_EXHAUSTED")]
    public async Task Increment_ContentionThroughout_RetriesThenThrowsStoreUnavailable(int status, string code)
    {
        using var handler = new ScriptedHandler(_ => Error(status, code));
        using var store = StoreOver(handler, TimeSpan.FromMilliseconds(400));

        var error = await Assert.ThrowsAsync<CounterStoreUnavailableException>(
            () => store.IncrementAsync(new IncrementRequest(NewName(), 1), Cancel).AsTask());

        Assert.True(handler.Calls > 1, $"expected retries, saw {handler.Calls} call(s)");
        Assert.Contains(code, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadsAndKeyedIncrement_UnavailableThroughout_RetryThenThrowStoreUnavailable()
    {
        var name = NewName();
        var now = DateTimeOffset.UtcNow;
        var keyed = new IncrementRequest(name, 1, idempotencyKey: "k", now: now, idempotencyExpiresAt: now.AddHours(1));
        Func<FirestoreCounterStore, Task>[] operations =
        [
            store => store.GetAsync(name, Cancel).AsTask(),
            store => store.CheckHealthAsync(Cancel).AsTask(),
            store => store.IncrementAsync(keyed, Cancel).AsTask(),
        ];

        foreach (var operation in operations)
        {
            using var handler = new ScriptedHandler(_ => Error(503, "UNAVAILABLE"));
            using var store = StoreOver(handler, TimeSpan.FromMilliseconds(400));

            var error = await Assert.ThrowsAsync<CounterStoreUnavailableException>(() => operation(store));

            Assert.True(handler.Calls > 1, $"expected retries, saw {handler.Calls} call(s)");
            Assert.Contains("UNAVAILABLE", error.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(502, null)]
    [InlineData(503, null)]
    [InlineData(503, "UNAVAILABLE")]
    [InlineData(500, null)]
    public async Task Increment_UnkeyedCommitAnsweredServerError_ThrowsStoreUnavailableWithoutRetrying(int status, string? code)
    {
        using var handler = new ScriptedHandler(_ => code is null ? Html(status) : Error(status, code));
        using var store = StoreOver(handler, TimeSpan.FromSeconds(5));

        var error = await Assert.ThrowsAsync<CounterStoreUnavailableException>(
            () => store.IncrementAsync(new IncrementRequest(NewName(), 1), Cancel).AsTask());

        Assert.Equal(1, handler.Calls);
        Assert.Contains("may or may not", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(502, null, false)]
    [InlineData(503, "UNAVAILABLE", false)]
    [InlineData(502, null, true)]
    [InlineData(503, "UNAVAILABLE", true)]
    public async Task Increment_UnkeyedCommitAppliedThenServerError_ThrowsStoreUnavailableAndAppliesOnce(int status, string? code, bool bounded)
    {
        var store = fixture.Store;
        var name = NewName();
        await store.SetAsync(name, 10, Cancel);
        using var handler = new LoseFirstCommitResponse(fixture.EmulatorHost, () => code is null ? Html(status) : Error(status, code));
        using var flaky = StoreOver(handler, TimeSpan.FromSeconds(5), fixture.EmulatorHost);
        var request = bounded ? new IncrementRequest(name, 1, max: 100) : new IncrementRequest(name, 1);

        // A front end may answer 502/503 after the backend committed: the re-read (bounded) or the blind transform
        // (plain) cannot tell, so the increment is not repeated.
        await Assert.ThrowsAsync<CounterStoreUnavailableException>(() => flaky.IncrementAsync(request, Cancel).AsTask());

        Assert.Equal(11, await store.GetAsync(name, Cancel));
    }

    [Fact]
    public async Task Increment_KeyedCommitAppliedThenUnavailable_RetriesAndReportsApplied()
    {
        var store = fixture.Store;
        var name = NewName();
        using var handler = new LoseFirstCommitResponse(fixture.EmulatorHost, () => Error(503, "UNAVAILABLE"));
        using var flaky = StoreOver(handler, TimeSpan.FromSeconds(5), fixture.EmulatorHost);
        var now = DateTimeOffset.UtcNow;
        var request = new IncrementRequest(name, 4, max: 10, idempotencyKey: "k1", now: now, idempotencyExpiresAt: now.AddHours(1));

        Assert.Equal(IncrementOutcome.Applied(4), await flaky.IncrementAsync(request, Cancel));
        Assert.Equal(4, await store.GetAsync(name, Cancel));
    }

    [Fact]
    public async Task Increment_PermissionDenied_ThrowsStoreUnavailableWithoutRetrying()
    {
        using var handler = new ScriptedHandler(_ => Error(403, "PERMISSION_DENIED"));
        using var store = StoreOver(handler, TimeSpan.FromSeconds(5));

        var error = await Assert.ThrowsAsync<CounterStoreUnavailableException>(
            () => store.IncrementAsync(new IncrementRequest(NewName(), 1), Cancel).AsTask());

        Assert.Equal(1, handler.Calls);
        Assert.Contains("PERMISSION_DENIED", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryOperation_UnreadableAnswer_ThrowsStoreUnavailable()
    {
        using var handler = new ScriptedHandler(
            _ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("<html>proxy</html>") });
        using var store = StoreOver(handler, TimeSpan.FromMilliseconds(300));
        var name = NewName();

        await Assert.ThrowsAsync<CounterStoreUnavailableException>(() => store.IncrementAsync(new IncrementRequest(name, 1), Cancel).AsTask());
        await Assert.ThrowsAsync<CounterStoreUnavailableException>(() => store.GetAsync(name, Cancel).AsTask());
        await Assert.ThrowsAsync<CounterStoreUnavailableException>(() => store.SetAsync(name, 1, Cancel).AsTask());
    }

    [Fact]
    public async Task Increment_UnkeyedCommitLostAfterApplying_ThrowsStoreUnavailableAndAppliesOnce()
    {
        var store = fixture.Store;
        var name = NewName();
        await store.SetAsync(name, 10, Cancel);
        using var handler = new LoseFirstCommitResponse(fixture.EmulatorHost);
        using var flaky = StoreOver(handler, TimeSpan.FromSeconds(5), fixture.EmulatorHost);

        // The commit applied but its answer was lost: retrying a blind increment could apply it twice, so it is not retried.
        await Assert.ThrowsAsync<CounterStoreUnavailableException>(() => flaky.IncrementAsync(new IncrementRequest(name, 1), Cancel).AsTask());

        Assert.Equal(11, await store.GetAsync(name, Cancel));
    }

    [Fact]
    public async Task Increment_KeyedCommitLostAfterApplying_RetriesAndReportsApplied()
    {
        var store = fixture.Store;
        var name = NewName();
        using var handler = new LoseFirstCommitResponse(fixture.EmulatorHost);
        using var flaky = StoreOver(handler, TimeSpan.FromSeconds(5), fixture.EmulatorHost);
        var now = DateTimeOffset.UtcNow;
        var request = new IncrementRequest(name, 4, idempotencyKey: "k1", now: now, idempotencyExpiresAt: now.AddHours(1));

        // The retry finds the record this call wrote, so it reports the increment as applied, once.
        Assert.Equal(IncrementOutcome.Applied(4), await flaky.IncrementAsync(request, Cancel));
        Assert.Equal(4, await store.GetAsync(name, Cancel));
        Assert.Equal(IncrementOutcome.Replayed(4), await store.IncrementAsync(request, Cancel));
    }

    [Fact]
    public async Task Increment_CommitAnswerWithoutReadableValue_ThrowsStoreUnavailableWithoutRetrying()
    {
        // The commit succeeded, so the delta is applied; only the new value is missing from the answer.
        using var handler = new ScriptedHandler(_ => new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StringContent("""{"writeResults":[{"transformResults":[{"stringValue":"x"}]}]}""", Encoding.UTF8, "application/json"),
        });
        using var store = StoreOver(handler, TimeSpan.FromSeconds(5));

        var error = await Assert.ThrowsAsync<CounterStoreUnavailableException>(
            () => store.IncrementAsync(new IncrementRequest(NewName(), 1), Cancel).AsTask());

        Assert.Equal(1, handler.Calls);
        Assert.Contains("may or may not", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1L << 20, ":commit")]
    [InlineData(-(1L << 20), ":commit")]
    [InlineData((1L << 20) + 1, ":batchGet")]
    [InlineData(-(1L << 20) - 1, ":batchGet")]
    public async Task Increment_DeltaBeyondTwoToTheTwenty_TakesGuardedPath(long delta, string firstCall)
    {
        // Keeping plain deltas small bounds how fast a counter left in its main document could reach saturation.
        var paths = new List<string>();
        using var handler = new ScriptedHandler(request =>
        {
            paths.Add(request.RequestUri!.AbsolutePath);
            return Error(403, "PERMISSION_DENIED");
        });
        using var store = StoreOver(handler, TimeSpan.FromSeconds(5));

        await Assert.ThrowsAsync<CounterStoreUnavailableException>(
            () => store.IncrementAsync(new IncrementRequest(NewName(), delta), Cancel).AsTask());

        Assert.EndsWith(firstCall, Assert.Single(paths), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Set_CommitAppliedThenTimeout_ThrowsStoreUnavailableAndKeepsLaterIncrement()
    {
        var store = fixture.Store;
        var name = NewName();
        await store.SetAsync(name, 0, Cancel);
        long acknowledged = 0;
        using var handler = new LoseFirstCommitResponse(
            fixture.EmulatorHost,
            between: async () => acknowledged = (await store.IncrementAsync(new IncrementRequest(name, 1), Cancel)).Value);
        using var flaky = StoreOver(handler, TimeSpan.FromSeconds(5), fixture.EmulatorHost);

        // Repeating the set would erase the increment acknowledged after it landed, so it is not repeated.
        await Assert.ThrowsAsync<CounterStoreUnavailableException>(() => flaky.SetAsync(name, 100, Cancel).AsTask());

        Assert.Equal(101, acknowledged);
        Assert.Equal(101, await store.GetAsync(name, Cancel));
    }

    [Fact]
    public async Task Delete_CommitAppliedThenTimeout_ThrowsStoreUnavailableAndKeepsLaterIncrement()
    {
        var store = fixture.Store;
        var name = NewName();
        await store.SetAsync(name, 7, Cancel);
        long acknowledged = 0;
        using var handler = new LoseFirstCommitResponse(
            fixture.EmulatorHost,
            between: async () => acknowledged = (await store.IncrementAsync(new IncrementRequest(name, 1), Cancel)).Value);
        using var flaky = StoreOver(handler, TimeSpan.FromSeconds(5), fixture.EmulatorHost);

        await Assert.ThrowsAsync<CounterStoreUnavailableException>(() => flaky.DeleteAsync(name, Cancel).AsTask());

        Assert.Equal(1, acknowledged);
        Assert.Equal(1, await store.GetAsync(name, Cancel));
    }

    [Fact]
    public async Task SetAndDelete_ContentionThroughout_RetryThenThrowStoreUnavailable()
    {
        var name = NewName();
        foreach (var (status, code) in new[] { (409, "ABORTED"), (429, "RESOURCE_EXHAUSTED") })
        {
            using var handler = new ScriptedHandler(_ => Error(status, code));
            using var store = StoreOver(handler, TimeSpan.FromMilliseconds(300));

            await Assert.ThrowsAsync<CounterStoreUnavailableException>(() => store.SetAsync(name, 1, Cancel).AsTask());
            var afterSet = handler.Calls;
            await Assert.ThrowsAsync<CounterStoreUnavailableException>(() => store.DeleteAsync(name, Cancel).AsTask());

            Assert.True(afterSet > 1, $"expected the set to retry {code}, saw {afterSet} call(s)");
            Assert.True(handler.Calls - afterSet > 1, $"expected the delete to retry {code}, saw {handler.Calls - afterSet} call(s)");
        }
    }

    private static FirestoreCounterStore StoreOver(HttpMessageHandler handler, TimeSpan budget, string emulatorHost = "127.0.0.1:1") =>
        new(
            Options.Create(new FirestoreCounterStoreOptions { ProjectId = "counter-contract", EmulatorHost = emulatorHost, RetryBudget = budget }),
            handler);

    private static HttpResponseMessage Error(int status, string code) => new((HttpStatusCode)status)
    {
        Content = new StringContent(
            $$$"""{"error":{"code":{{{status}}},"message":"scripted","status":"{{{code}}}"}}""", Encoding.UTF8, "application/json"),
    };

    /// <summary>Answers every request with a scripted response and counts the calls.</summary>
    private sealed class ScriptedHandler(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
    {
        private int calls;

        public int Calls => calls;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref calls);
            return Task.FromResult(answer(request));
        }
    }

    private static HttpResponseMessage Html(int status) => new((HttpStatusCode)status)
    {
        Content = new StringContent("<html><body>Bad gateway</body></html>", Encoding.UTF8, "text/html"),
    };

    /// <summary>Passes requests to the emulator, but answers the first commit with an error after it applied.</summary>
    /// <param name="emulatorHost">The emulator every request must go to.</param>
    /// <param name="answer">The error that replaces the first commit's answer.</param>
    /// <param name="between">What other clients do after the first commit applied and before its caller hears back.</param>
    private sealed class LoseFirstCommitResponse(string emulatorHost, Func<HttpResponseMessage>? answer = null, Func<Task>? between = null)
        : DelegatingHandler(new SocketsHttpHandler())
    {
        private int commits;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Assert.Equal(emulatorHost, request.RequestUri!.Authority);
            var response = await base.SendAsync(request, cancellationToken);
            if (request.RequestUri.AbsolutePath.EndsWith(":commit", StringComparison.Ordinal) && Interlocked.Increment(ref commits) == 1)
            {
                Assert.True(response.IsSuccessStatusCode);
                response.Dispose();
                if (between is not null)
                {
                    await between();
                }

                return answer is null ? Error(504, "DEADLINE_EXCEEDED") : answer();
            }

            return response;
        }
    }
}
