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
    [InlineData(503, "UNAVAILABLE")]
    public async Task Increment_ContentionOrUnavailableThroughout_RetriesThenThrowsStoreUnavailable(int status, string code)
    {
        using var handler = new ScriptedHandler(_ => Error(status, code));
        using var store = StoreOver(handler, TimeSpan.FromMilliseconds(400));

        var error = await Assert.ThrowsAsync<CounterStoreUnavailableException>(
            () => store.IncrementAsync(new IncrementRequest(NewName(), 1), Cancel).AsTask());

        Assert.True(handler.Calls > 1, $"expected retries, saw {handler.Calls} call(s)");
        Assert.Contains(code, error.Message, StringComparison.Ordinal);
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

    /// <summary>Passes requests to the emulator, but answers the first commit with DEADLINE_EXCEEDED after it applied.</summary>
    private sealed class LoseFirstCommitResponse(string emulatorHost) : DelegatingHandler(new SocketsHttpHandler())
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
                return Error(504, "DEADLINE_EXCEEDED");
            }

            return response;
        }
    }
}
