using System.Text.Json.Nodes;

namespace Counter.Aws.Tests;

/// <summary>A function's answer, read back as API Gateway or a function URL would.</summary>
public sealed record LambdaResponse(JsonObject Raw)
{
    public int StatusCode => Raw["statusCode"]!.GetValue<int>();

    public string Body => Raw["body"]!.GetValue<string>();

    public JsonNode? BodyJson => Body.Length == 0 ? null : JsonNode.Parse(Body);

    public string? Header(string name) =>
        Raw["headers"]!.AsObject().FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value?.GetValue<string>();

    public static async Task<LambdaResponse> InvokeAsync(LambdaEntryPoint function, JsonObject e)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(e);

        using var input = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(e.ToJsonString()));
        await using var output = await function.HandleAsync(input);
        return new LambdaResponse(JsonNode.Parse(output)!.AsObject());
    }
}
