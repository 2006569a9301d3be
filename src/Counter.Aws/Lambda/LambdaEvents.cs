using System.Text.Json.Serialization;

namespace Counter.Aws.Lambda;

/// <summary>The members of an API Gateway (REST or HTTP API, payload 1.0 or 2.0) or function URL event that the entry point reads.</summary>
/// <remarks>One shape holds all three: payload 1.0 has <c>httpMethod</c>, 2.0 and function URLs have <c>requestContext.http</c>.</remarks>
internal sealed class LambdaHttpEvent
{
    public string? Version { get; set; }

    public string? HttpMethod { get; set; }

    public string? Resource { get; set; }

    public string? Path { get; set; }

    public string? RawPath { get; set; }

    public string? RawQueryString { get; set; }

    public Dictionary<string, string?>? Headers { get; set; }

    public Dictionary<string, List<string>?>? MultiValueHeaders { get; set; }

    public Dictionary<string, string?>? QueryStringParameters { get; set; }

    public Dictionary<string, List<string>?>? MultiValueQueryStringParameters { get; set; }

    public Dictionary<string, string?>? PathParameters { get; set; }

    public LambdaRequestContext? RequestContext { get; set; }

    public string? Body { get; set; }

    public bool IsBase64Encoded { get; set; }
}

/// <summary>The request context members the entry point reads.</summary>
internal sealed class LambdaRequestContext
{
    public string? Stage { get; set; }

    public string? Path { get; set; }

    public LambdaHttpContext? Http { get; set; }
}

/// <summary>Payload 2.0's <c>requestContext.http</c>.</summary>
internal sealed class LambdaHttpContext
{
    public string? Method { get; set; }
}

/// <summary>The answer API Gateway expects for payload 1.0 (REST API proxy integrations).</summary>
internal sealed record RestApiResponse(
    int StatusCode,
    Dictionary<string, string> Headers,
    Dictionary<string, List<string>> MultiValueHeaders,
    string Body,
    bool IsBase64Encoded);

/// <summary>The answer HTTP APIs (payload 2.0) and function URLs expect.</summary>
internal sealed record HttpApiResponse(int StatusCode, Dictionary<string, string> Headers, string Body, bool IsBase64Encoded);

// Events are read leniently (unknown members are ignored, names in any case): AWS adds members over time.
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    PropertyNameCaseInsensitive = true,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip)]
[JsonSerializable(typeof(LambdaHttpEvent))]
[JsonSerializable(typeof(RestApiResponse))]
[JsonSerializable(typeof(HttpApiResponse))]
internal sealed partial class LambdaJsonContext : JsonSerializerContext;
