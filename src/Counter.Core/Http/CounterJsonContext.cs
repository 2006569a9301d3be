using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Counter.Http;

/// <summary>The body of a successful counter response.</summary>
internal sealed record CounterValueBody(string Name, long Value);

/// <summary>The tutorial's response shape, for <c>POST /counter</c>.</summary>
internal sealed record TutorialCounterBody(long Counter);

/// <summary>The optional body of <c>POST /counters/{name}</c>. <c>"by": null</c> is an error; a null bound means no bound.</summary>
internal sealed record IncrementBody(long By = 1, long? Min = null, long? Max = null);

/// <summary>The body of <c>PUT /counters/{name}</c>.</summary>
internal sealed record SetBody(long? Value);

/// <summary>The body of <c>GET /healthz</c>.</summary>
internal sealed record HealthBody(string Status);

/// <summary>An RFC 9457 problem; <see cref="Current"/> is set only for refused increments.</summary>
internal sealed record ProblemBody(string Type, string Title, int Status, string Detail)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Current { get; init; }
}

// Request bodies are read strictly: an unknown or repeated member is an error, not something to ignore,
// because a typo such as "By" would otherwise increment by 1 without a word.
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    AllowDuplicateProperties = false,
    NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(CounterValueBody))]
[JsonSerializable(typeof(TutorialCounterBody))]
[JsonSerializable(typeof(IncrementBody))]
[JsonSerializable(typeof(SetBody))]
[JsonSerializable(typeof(HealthBody))]
[JsonSerializable(typeof(ProblemBody))]
internal sealed partial class CounterJsonContext : JsonSerializerContext
{
    private static CounterJsonContext? responses;

    /// <summary>Gets the context responses are written with: names and details stay readable UTF-8 (emoji, quotes)
    /// rather than \uXXXX escapes. The bodies are served as JSON, never inlined into HTML, so HTML-safe escaping buys nothing.</summary>
    /// <remarks>Built on first use: a static initialiser here could run before the generated <see cref="Default"/> is set.</remarks>
    public static CounterJsonContext Responses =>
        responses ??= new(new JsonSerializerOptions(Default.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
}
