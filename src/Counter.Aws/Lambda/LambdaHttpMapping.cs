using System.Text;
using Counter.Http;

namespace Counter.Aws.Lambda;

/// <summary>The kinds of HTTP event a Lambda function receives, which differ in how they must be answered.</summary>
internal enum LambdaEventKind
{
    /// <summary>Payload format 1.0: REST API proxy integrations, and HTTP APIs set to 1.0.</summary>
    PayloadV1,

    /// <summary>Payload format 2.0: HTTP APIs and Lambda function URLs.</summary>
    PayloadV2,
}

/// <summary>Maps API Gateway and function URL events to <see cref="CounterHttpRequest"/>, and responses back.</summary>
internal static class LambdaHttpMapping
{
    private const string DefaultStage = "$default";

    /// <summary>Tells which payload format an event has.</summary>
    /// <exception cref="InvalidDataException">It is neither: not an HTTP event.</exception>
    public static LambdaEventKind KindOf(LambdaHttpEvent e)
    {
        if (!string.IsNullOrEmpty(e.HttpMethod))
        {
            return LambdaEventKind.PayloadV1;
        }

        if (!string.IsNullOrEmpty(e.RequestContext?.Http?.Method))
        {
            return LambdaEventKind.PayloadV2;
        }

        throw new InvalidDataException(
            "The event is not an API Gateway (payload 1.0 or 2.0) or Lambda function URL request: "
            + "it has neither httpMethod nor requestContext.http.method.");
    }

    /// <summary>Builds the request Core's handler takes.</summary>
    /// <exception cref="InvalidDataException">The body is marked base64 but is not.</exception>
    public static CounterHttpRequest ToRequest(LambdaHttpEvent e, LambdaEventKind kind)
    {
        var headers = HeadersOf(e);
        var path = kind == LambdaEventKind.PayloadV1 ? PathOfV1(e) : WithoutStage(e.RawPath ?? "/", e.RequestContext?.Stage);
        var query = kind == LambdaEventKind.PayloadV1 ? QueryOfV1(e) : e.RawQueryString;

        return new CounterHttpRequest
        {
            Method = (kind == LambdaEventKind.PayloadV1 ? e.HttpMethod! : e.RequestContext!.Http!.Method!).ToUpperInvariant(),
            RawPath = string.IsNullOrEmpty(query) ? path : path + "?" + query,
            ContentType = headers.GetValueOrDefault("Content-Type"),
            IdempotencyKey = headers.GetValueOrDefault("Idempotency-Key"),
            Body = BodyOf(e),
        };
    }

    /// <summary>Serializes Core's response in the shape the event's source expects.</summary>
    public static void WriteResponse(Stream output, CounterHttpResponse response, LambdaEventKind kind)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (response.ContentType is not null)
        {
            headers["Content-Type"] = response.ContentType;
        }

        foreach (var (name, value) in response.Headers)
        {
            headers[name] = headers.TryGetValue(name, out var earlier) ? earlier + ", " + value : value;
        }

        var body = Encoding.UTF8.GetString(response.Body.Span);
        if (kind == LambdaEventKind.PayloadV1)
        {
            var multiValue = headers.ToDictionary(h => h.Key, h => new List<string> { h.Value }, StringComparer.OrdinalIgnoreCase);
            System.Text.Json.JsonSerializer.Serialize(
                output, new RestApiResponse(response.StatusCode, headers, multiValue, body, false), LambdaJsonContext.Default.RestApiResponse);
        }
        else
        {
            System.Text.Json.JsonSerializer.Serialize(
                output, new HttpApiResponse(response.StatusCode, headers, body, false), LambdaJsonContext.Default.HttpApiResponse);
        }
    }

    // Header names arrive lower-cased (2.0), as sent (1.0), or both ways; repeated headers as a list (1.0) or joined
    // with commas (2.0). Lookups ignore case, and a repeated header reads as its values joined with commas either way.
    private static Dictionary<string, string> HeadersOf(LambdaHttpEvent e)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in e.MultiValueHeaders ?? [])
        {
            if (values is { Count: > 0 })
            {
                headers[name] = string.Join(',', values);
            }
        }

        foreach (var (name, value) in e.Headers ?? [])
        {
            if (value is not null)
            {
                headers.TryAdd(name, value);
            }
        }

        return headers;
    }

    private static ReadOnlyMemory<byte> BodyOf(LambdaHttpEvent e)
    {
        if (string.IsNullOrEmpty(e.Body))
        {
            return ReadOnlyMemory<byte>.Empty;
        }

        if (!e.IsBase64Encoded)
        {
            return Encoding.UTF8.GetBytes(e.Body);
        }

        try
        {
            return Convert.FromBase64String(e.Body);
        }
        catch (FormatException ex)
        {
            throw new InvalidDataException("The event's body is marked isBase64Encoded but is not base64.", ex);
        }
    }

    // A REST API event's resource is the route template (/counters/{name+}) and pathParameters fill it in; rebuilding the
    // path from them leaves out the stage and any custom-domain base path, whichever way `path` was given. Parameters
    // arrive decoded, so each one is percent-encoded again (keeping the slashes of a greedy {name+}) for Core to decode.
    private static string PathOfV1(LambdaHttpEvent e)
    {
        if (e.Resource is { Length: > 0 } resource && resource[0] == '/' && TryExpand(resource, e.PathParameters, out var expanded))
        {
            return expanded;
        }

        // No usable template (an HTTP API's $default route, say): fall back on the path, without a stage prefix when
        // the path carries one, which it does when it equals the context's full path.
        var path = e.Path ?? "/";
        var contextPath = e.RequestContext?.Path;
        return contextPath is null || string.Equals(contextPath, path, StringComparison.Ordinal) ? WithoutStage(path, e.RequestContext?.Stage) : path;
    }

    private static bool TryExpand(string resource, Dictionary<string, string?>? parameters, out string path)
    {
        var builder = new StringBuilder(resource.Length + 32);
        var rest = resource.AsSpan();
        path = string.Empty;
        while (!rest.IsEmpty)
        {
            var open = rest.IndexOf('{');
            if (open < 0)
            {
                builder.Append(rest);
                break;
            }

            var close = rest[open..].IndexOf('}');
            if (close < 0)
            {
                return false;
            }

            builder.Append(rest[..open]);
            var name = rest[(open + 1)..(open + close)];
            var greedy = name.EndsWith("+");
            if (greedy)
            {
                name = name[..^1];
            }

            if (parameters is null || !parameters.TryGetValue(name.ToString(), out var value) || value is null)
            {
                return false;
            }

            builder.Append(greedy ? string.Join('/', value.Split('/').Select(Uri.EscapeDataString)) : Uri.EscapeDataString(value));
            rest = rest[(open + close + 1)..];
        }

        path = builder.ToString();
        return true;
    }

    // HTTP APIs put a named stage in front of the path (/prod/counters/x); the $default stage adds nothing.
    private static string WithoutStage(string path, string? stage)
    {
        if (string.IsNullOrEmpty(stage) || stage == DefaultStage)
        {
            return path;
        }

        var prefix = "/" + stage;
        if (path.StartsWith(prefix, StringComparison.Ordinal) && (path.Length == prefix.Length || path[prefix.Length] == '/'))
        {
            var rest = path[prefix.Length..];
            return rest.Length == 0 ? "/" : rest;
        }

        return path;
    }

    // Core ignores the query, but it gets the whole of it: repeated parameters (multiValue in 1.0) all survive.
    private static string? QueryOfV1(LambdaHttpEvent e)
    {
        IEnumerable<KeyValuePair<string, string>> pairs = e.MultiValueQueryStringParameters is { Count: > 0 } multi
            ? multi.SelectMany(p => (p.Value ?? []).Select(v => KeyValuePair.Create(p.Key, v)))
            : (e.QueryStringParameters ?? []).Where(p => p.Value is not null).Select(p => KeyValuePair.Create(p.Key, p.Value!));

        var query = string.Join('&', pairs.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));
        return query.Length == 0 ? null : query;
    }
}
