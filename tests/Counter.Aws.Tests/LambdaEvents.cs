using System.Text;
using System.Text.Json.Nodes;

namespace Counter.Aws.Tests;

/// <summary>Where an event comes from: each has its own request and response shape.</summary>
public enum EventSource
{
    RestApiV1,
    HttpApiV2,
    FunctionUrl,
}

/// <summary>Builds real-shaped events from the samples in Events/ (written after the AWS documentation's examples).</summary>
public static class LambdaEvents
{
    public static TheoryData<EventSource> AllSources => [EventSource.RestApiV1, EventSource.HttpApiV2, EventSource.FunctionUrl];

    /// <summary>Builds an event for <paramref name="method"/> on <paramref name="rawPath"/> (percent-encoded, as a client sends it).</summary>
    public static JsonObject Request(
        EventSource source,
        string method,
        string rawPath,
        string? body = null,
        bool base64 = false,
        string? contentType = "application/json",
        IReadOnlyDictionary<string, string>? headers = null)
    {
        var e = Load(source);
        var allHeaders = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (contentType is not null)
        {
            allHeaders["Content-Type"] = contentType;
        }

        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            allHeaders[name] = value;
        }

        if (source == EventSource.RestApiV1)
        {
            SetRestApiRoute(e, method, rawPath);
            e["headers"] = Object(allHeaders.Select(h => KeyValuePair.Create(h.Key, (JsonNode?)h.Value)));
            e["multiValueHeaders"] = Object(allHeaders.Select(h => KeyValuePair.Create(h.Key, (JsonNode?)new JsonArray(h.Value))));
        }
        else
        {
            var query = rawPath.IndexOf('?', StringComparison.Ordinal);
            e["rawPath"] = query < 0 ? rawPath : rawPath[..query];
            e["rawQueryString"] = query < 0 ? string.Empty : rawPath[(query + 1)..];
            e["requestContext"]!["http"]!["method"] = method;
            e["requestContext"]!["http"]!["path"] = Uri.UnescapeDataString(e["rawPath"]!.GetValue<string>());
            e["headers"] = Object(allHeaders.Select(h => KeyValuePair.Create(h.Key.ToLowerInvariant(), (JsonNode?)h.Value)));
        }

        if (body is not null)
        {
            e["body"] = base64 ? Convert.ToBase64String(Encoding.UTF8.GetBytes(body)) : body;
            e["isBase64Encoded"] = base64;
        }

        return e;
    }

    public static JsonObject Load(EventSource source)
    {
        var file = source switch
        {
            EventSource.RestApiV1 => "rest-api-v1.json",
            EventSource.HttpApiV2 => "http-api-v2.json",
            _ => "function-url.json",
        };
        return JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Events", file)))!.AsObject();
    }

    // API Gateway matches the route template and hands over the decoded parameters; `path` has no stage, the
    // context's path has it.
    private static void SetRestApiRoute(JsonObject e, string method, string rawPath)
    {
        var query = rawPath.IndexOf('?', StringComparison.Ordinal);
        var path = query < 0 ? rawPath : rawPath[..query];
        string resource;
        JsonObject? parameters;
        if (path.StartsWith("/counters/", StringComparison.Ordinal))
        {
            resource = "/counters/{name+}";
            parameters = new JsonObject { ["name"] = Uri.UnescapeDataString(path["/counters/".Length..]) };
        }
        else if (path is "/counter" or "/healthz")
        {
            resource = path;
            parameters = null;
        }
        else
        {
            resource = "/{proxy+}";
            parameters = new JsonObject { ["proxy"] = Uri.UnescapeDataString(path[1..]) };
        }

        e["resource"] = resource;
        e["path"] = Uri.UnescapeDataString(path);
        e["httpMethod"] = method;
        e["pathParameters"] = parameters;
        e["requestContext"]!["httpMethod"] = method;
        e["requestContext"]!["resourcePath"] = resource;
        e["requestContext"]!["path"] = "/prod" + Uri.UnescapeDataString(path);
        if (query >= 0)
        {
            var pairs = rawPath[(query + 1)..].Split('&')
                .Select(p => p.Split('=', 2))
                .Select(p => (Key: p[0], Value: p.Length > 1 ? p[1] : string.Empty))
                .ToList();
            e["queryStringParameters"] = Object(pairs.GroupBy(p => p.Key).Select(g => KeyValuePair.Create(g.Key, (JsonNode?)g.Last().Value)));
            e["multiValueQueryStringParameters"] = Object(pairs.GroupBy(p => p.Key)
                .Select(g => KeyValuePair.Create(g.Key, (JsonNode?)new JsonArray(g.Select(p => (JsonNode?)p.Value).ToArray()))));
        }
    }

    private static JsonObject Object(IEnumerable<KeyValuePair<string, JsonNode?>> members) => new(members);
}
