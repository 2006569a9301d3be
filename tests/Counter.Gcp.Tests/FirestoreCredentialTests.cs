using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Google.Apis.Auth.OAuth2;
using Google.Apis.Http;
using Microsoft.Extensions.Options;

namespace Counter.Gcp.Tests;

/// <summary>What the caller sees when the Google token request fails: a store error, never a provider exception.</summary>
public sealed class FirestoreCredentialTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static readonly CounterName Name = CounterName.Parse("credentials");

    public static TheoryData<string> Operations => ["increment", "keyed increment", "get", "set", "delete", "health"];

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task EveryOperation_TokenEndpointRefusesKey_ThrowsStoreUnavailable(string operation)
    {
        // A service account whose key was revoked: the token endpoint answers 400 invalid_grant.
        using var store = StoreWithTokenEndpoint(_ => Task.FromResult(new HttpResponseMessage(HttpStatusCode.BadRequest)
        {
            Content = new StringContent(
                """{"error":"invalid_grant","error_description":"Invalid JWT Signature."}""", Encoding.UTF8, "application/json"),
        }));

        var error = await Assert.ThrowsAsync<CounterStoreUnavailableException>(() => Run(store, operation));

        Assert.Contains("TOKEN_REFUSED", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task EveryOperation_TokenRequestTimesOut_ThrowsStoreUnavailable(string operation)
    {
        // What HttpClient throws when its own timeout elapses, while the caller's token is not cancelled.
        using var store = StoreWithTokenEndpoint(async ct =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return new HttpResponseMessage(HttpStatusCode.OK);
        });

        // Google.Apis.Auth 1.78 wraps a service account's timed-out refresh in InvalidOperationException; a raw
        // TaskCanceledException (the caller did not cancel) is mapped to TOKEN_TIMEOUT. Either way: a store error.
        await Assert.ThrowsAsync<CounterStoreUnavailableException>(() => Run(store, operation));
    }

    [Fact]
    public async Task Increment_CallerCancelsDuringTokenRequest_ThrowsOperationCanceled()
    {
        using var store = StoreWithTokenEndpoint(async ct =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return new HttpResponseMessage(HttpStatusCode.OK);
        });
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        cancellation.CancelAfter(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => store.IncrementAsync(new IncrementRequest(Name, 1), cancellation.Token).AsTask());
    }

    private static Task Run(FirestoreCounterStore store, string operation)
    {
        var now = DateTimeOffset.UtcNow;
        return operation switch
        {
            "increment" => store.IncrementAsync(new IncrementRequest(Name, 1), Cancel).AsTask(),
            "keyed increment" => store.IncrementAsync(
                new IncrementRequest(Name, 1, idempotencyKey: "k", now: now, idempotencyExpiresAt: now.AddHours(1)), Cancel).AsTask(),
            "get" => store.GetAsync(Name, Cancel).AsTask(),
            "set" => store.SetAsync(Name, 1, Cancel).AsTask(),
            "delete" => store.DeleteAsync(Name, Cancel).AsTask(),
            _ => store.CheckHealthAsync(Cancel).AsTask(),
        };
    }

    /// <summary>A store for real Firestore whose service-account token requests get the scripted answer.</summary>
    private static FirestoreCounterStore StoreWithTokenEndpoint(Func<CancellationToken, Task<HttpResponseMessage>> tokenEndpoint)
    {
        using var rsa = RSA.Create(2048);
        var json = JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["type"] = "service_account",
            ["project_id"] = "counter-test",
            ["private_key_id"] = "key",
            ["private_key"] = rsa.ExportPkcs8PrivateKeyPem(),
            ["client_email"] = "counter@counter-test.iam.gserviceaccount.com",
            ["client_id"] = "1",
            ["token_uri"] = "https://oauth2.invalid/token",
        });
        var credential = CredentialFactory.FromJson<ServiceAccountCredential>(json)
            .ToGoogleCredential()
            .CreateWithHttpClientFactory(new ScriptedHttpClientFactory(tokenEndpoint));

        var options = new FirestoreCounterStoreOptions
        {
            ProjectId = "counter-test",
            EmulatorHost = null,
            Credential = credential,
            RetryBudget = TimeSpan.FromMilliseconds(500),
        };

        // No token means no call to Firestore: any that is made fails the test.
        return new FirestoreCounterStore(Options.Create(options), new RefuseEveryRequest());
    }

    /// <summary>Gives the credential token clients that reach the scripted endpoint and time out after 100 ms.</summary>
    private sealed class ScriptedHttpClientFactory(Func<CancellationToken, Task<HttpResponseMessage>> answer) : Google.Apis.Http.IHttpClientFactory
    {
        private readonly HandlerFactory inner = new(answer);

        public ConfigurableHttpClient CreateHttpClient(CreateHttpClientArgs args)
        {
            var client = inner.CreateHttpClient(args);
            client.Timeout = TimeSpan.FromMilliseconds(100);
            return client;
        }
    }

    private sealed class HandlerFactory(Func<CancellationToken, Task<HttpResponseMessage>> answer) : HttpClientFactory
    {
        protected override HttpMessageHandler CreateHandler(CreateHttpClientArgs args) => new ScriptedHandler(answer);
    }

    private sealed class ScriptedHandler(Func<CancellationToken, Task<HttpResponseMessage>> answer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            answer(cancellationToken);
    }

    private sealed class RefuseEveryRequest : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            throw new InvalidOperationException($"The store called Firestore ({request.RequestUri}) without a token.");
    }
}
