using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Counter.Gcp.Tests;

/// <summary>Reads documents straight from the emulator's REST API, to check where the store writes.</summary>
public sealed class FirestoreDocuments(string emulatorHost, string projectId) : IDisposable
{
    private readonly HttpClient http = new() { BaseAddress = new Uri($"http://{emulatorHost}/v1/") };

    public static string CounterPath(string name, string collection = "counters") => $"{collection}/{CounterName.Parse(name).StorageKey}";

    /// <summary>Gets a document's fields, or <see langword="null"/> when it does not exist.</summary>
    public async Task<JsonElement?> GetAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"projects/{projectId}/databases/(default)/documents/{path}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "owner");

        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return JsonDocument.Parse(text).RootElement.GetProperty("fields").Clone();
    }

    public void Dispose() => http.Dispose();
}
