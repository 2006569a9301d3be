using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Google.Apis.Auth.OAuth2;

namespace Counter.Gcp.Internal;

/// <summary>The two Firestore v1 REST methods the store needs, <c>batchGet</c> and <c>commit</c>, with errors classified.</summary>
/// <remarks>
/// REST rather than gRPC: the JSON encoding carries int64 as strings, so transform results are exact, and commit
/// preconditions give the atomicity the store needs without a transaction, so two plain HTTP calls are the whole
/// surface. That avoids generated code and a gRPC stack, and the same calls work unchanged against the emulator.
/// </remarks>
internal sealed class FirestoreRestClient : IDisposable
{
    private const string DatastoreScope = "https://www.googleapis.com/auth/datastore";

    private readonly HttpClient http;
    private readonly bool emulator;
    private readonly Uri commitUri;
    private readonly Uri batchGetUri;
    private readonly SemaphoreSlim credentialLock = new(1, 1);
    private GoogleCredential? credential;

    public FirestoreRestClient(FirestoreCounterStoreOptions options, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(options.DatabaseId);
        ArgumentException.ThrowIfNullOrEmpty(options.Collection);

        emulator = !string.IsNullOrEmpty(options.EmulatorHost);
        var projectId = options.ProjectId;
        if (string.IsNullOrEmpty(projectId))
        {
            projectId = emulator
                ? "counter-local"
                : throw new ArgumentException("FirestoreCounterStoreOptions.ProjectId is required for real Firestore.", nameof(options));
        }

        credential = options.Credential?.CreateScoped(DatastoreScope);
        DocumentsRoot = $"projects/{projectId}/databases/{options.DatabaseId}/documents";
        var baseUri = emulator ? new Uri($"http://{options.EmulatorHost}/v1/") : new Uri("https://firestore.googleapis.com/v1/");
        commitUri = new Uri(baseUri, DocumentsRoot + ":commit");
        batchGetUri = new Uri(baseUri, DocumentsRoot + ":batchGet");

        handler ??= new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        http = new HttpClient(handler) { Timeout = options.RequestTimeout };
    }

    /// <summary>Gets the resource name under which documents live: <c>projects/{p}/databases/{d}/documents</c>.</summary>
    public string DocumentsRoot { get; }

    /// <summary>Reads documents at one consistent point in time; a missing document is absent from the result.</summary>
    public async Task<Dictionary<string, FirestoreDocument>> BatchGetAsync(IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        var results = await SendAsync(
                batchGetUri,
                new FirestoreBatchGetRequest(names),
                FirestoreJsonContext.Default.FirestoreBatchGetRequest,
                FirestoreJsonContext.Default.FirestoreBatchGetResponseArray,
                cancellationToken)
            .ConfigureAwait(false);

        var found = new Dictionary<string, FirestoreDocument>(StringComparer.Ordinal);
        foreach (var result in results)
        {
            if (result.Found is { Name: { } name } document)
            {
                found[name] = document;
            }
        }

        return found;
    }

    /// <summary>Applies writes atomically: all of them, or none when a precondition fails.</summary>
    public Task<FirestoreCommitResponse> CommitAsync(IReadOnlyList<FirestoreWrite> writes, CancellationToken cancellationToken) =>
        SendAsync(
            commitUri,
            new FirestoreCommitRequest(writes),
            FirestoreJsonContext.Default.FirestoreCommitRequest,
            FirestoreJsonContext.Default.FirestoreCommitResponse,
            cancellationToken);

    public void Dispose()
    {
        http.Dispose();
        credentialLock.Dispose();
    }

    private async Task<TResponse> SendAsync<TRequest, TResponse>(
        Uri uri, TRequest body, JsonTypeInfo<TRequest> requestType, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, uri)
        {
            Content = JsonContent(body, requestType),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await AccessTokenAsync(cancellationToken).ConfigureAwait(false));

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex) when (ex.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError)
        {
            // No connection was made, so the request never reached Firestore.
            throw new FirestoreCallException(FailureKind.Unavailable, "CONNECTION_FAILED", ex.Message, ex);
        }
        catch (HttpRequestException ex)
        {
            throw new FirestoreCallException(FailureKind.Ambiguous, "CONNECTION_LOST", ex.Message, ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new FirestoreCallException(FailureKind.Ambiguous, "CLIENT_TIMEOUT", "Firestore did not answer within the request timeout.", ex);
        }

        using (response)
        {
            var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                try
                {
                    return JsonSerializer.Deserialize(bytes, responseType)
                        ?? throw new FirestoreCallException(FailureKind.Ambiguous, "EMPTY_RESPONSE", "Firestore answered with an empty body.");
                }
                catch (JsonException ex)
                {
                    // The call succeeded but its answer is unreadable: for a commit, whether it applied is unknown.
                    throw new FirestoreCallException(
                        FailureKind.Ambiguous, "BAD_RESPONSE", $"Firestore's answer was not the expected JSON: {ex.Message}", ex);
                }
            }

            throw Failure(response.StatusCode, bytes);
        }
    }

    private static FirestoreCallException Failure(HttpStatusCode httpStatus, byte[] body)
    {
        FirestoreError? error = null;
        try
        {
            error = JsonSerializer.Deserialize(body, FirestoreJsonContext.Default.FirestoreErrorResponse)?.Error;
        }
        catch (JsonException)
        {
            // A proxy's HTML error page, say: fall back on the HTTP status.
        }

        var status = string.IsNullOrEmpty(error?.Status) ? FirestoreCallException.StatusOf((int)httpStatus) : error.Status;
        var message = $"Firestore answered {(int)httpStatus} {status}: {error?.Message ?? "(no message)"}";
        return new FirestoreCallException(FirestoreCallException.KindOf(status), status, message);
    }

    private static ByteArrayContent JsonContent<T>(T body, JsonTypeInfo<T> typeInfo)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, typeInfo));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private async Task<string> AccessTokenAsync(CancellationToken cancellationToken)
    {
        if (emulator)
        {
            // The emulator accepts this fixed token as an administrator and needs no credentials.
            return "owner";
        }

        try
        {
            var current = credential ?? await LoadCredentialAsync(cancellationToken).ConfigureAwait(false);
            return await ((ITokenAccess)current).GetAccessTokenForRequestAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or HttpRequestException or Google.GoogleApiException)
        {
            throw new FirestoreCallException(FailureKind.Unavailable, "NO_CREDENTIALS", $"Could not get Google credentials: {ex.Message}", ex);
        }
    }

    private async Task<GoogleCredential> LoadCredentialAsync(CancellationToken cancellationToken)
    {
        await credentialLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (credential is null)
            {
                var found = await GoogleCredential.GetApplicationDefaultAsync(cancellationToken).ConfigureAwait(false);
                credential = found.CreateScoped(DatastoreScope);
            }

            return credential;
        }
        finally
        {
            credentialLock.Release();
        }
    }
}
