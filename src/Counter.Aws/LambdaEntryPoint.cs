using Counter.Aws.Lambda;
using Counter.Http;

namespace Counter.Aws;

/// <summary>The Lambda function: answers API Gateway (REST and HTTP APIs) and function URL events with Core's HTTP API.</summary>
/// <remarks>
/// The handler string is <c>Counter.Aws::Counter.Aws.LambdaEntryPoint::HandleAsync</c>. It takes and returns a
/// <see cref="Stream"/>, which the managed .NET runtime passes through without a serializer, so no Amazon.Lambda package
/// is needed. The runtime creates this class once per execution environment; the client, the store and the handler are
/// built once per process, from the environment (see <see cref="LambdaSettings"/>), and reused by every invocation.
/// </remarks>
public sealed class LambdaEntryPoint
{
    /// <summary>The handler string to give Lambda; the assembly name must stay <c>Counter.Aws</c>.</summary>
    public const string HandlerString = "Counter.Aws::Counter.Aws.LambdaEntryPoint::HandleAsync";

    private static readonly Lazy<CounterHttpHandler> FromEnvironment =
        new(() => LambdaSettings.FromEnvironment(Environment.GetEnvironmentVariable).CreateHandler(), LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly CounterHttpHandler handler;

    /// <summary>Gets the handler every invocation goes to.</summary>
    internal CounterHttpHandler Handler => handler;

    /// <summary>Initializes a new instance of the <see cref="LambdaEntryPoint"/> class from the environment, as Lambda does.</summary>
    /// <exception cref="InvalidOperationException">A required environment variable is missing or invalid.</exception>
    public LambdaEntryPoint()
        : this(FromEnvironment.Value)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="LambdaEntryPoint"/> class over a given handler.</summary>
    public LambdaEntryPoint(CounterHttpHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        this.handler = handler;
    }

    /// <summary>Handles one invocation: an HTTP event in, the response in the event's own shape out.</summary>
    /// <exception cref="InvalidDataException">The input is not an API Gateway or function URL event.</exception>
    public async Task<Stream> HandleAsync(Stream input)
    {
        ArgumentNullException.ThrowIfNull(input);

        LambdaHttpEvent httpEvent;
        try
        {
            httpEvent = await System.Text.Json.JsonSerializer.DeserializeAsync(input, LambdaJsonContext.Default.LambdaHttpEvent).ConfigureAwait(false)
                ?? throw new InvalidDataException("The event is JSON null, not an HTTP event.");
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw new InvalidDataException("The event is not a JSON API Gateway or function URL event.", ex);
        }

        var kind = LambdaHttpMapping.KindOf(httpEvent);
        var response = await handler.HandleAsync(LambdaHttpMapping.ToRequest(httpEvent, kind)).ConfigureAwait(false);

        var output = new MemoryStream();
        LambdaHttpMapping.WriteResponse(output, response, kind);
        output.Position = 0;
        return output;
    }
}
