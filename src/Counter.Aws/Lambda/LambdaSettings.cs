using System.Globalization;
using Counter.Aws.Internal;
using Counter.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Counter.Aws.Lambda;

/// <summary>The function's configuration, read from environment variables once per execution environment.</summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>COUNTER_TABLE_NAME</c> (required): the DynamoDB table.</item>
/// <item><c>COUNTER_KEY_ATTRIBUTE</c>, <c>COUNTER_VALUE_ATTRIBUTE</c>, <c>COUNTER_EXPIRES_AT_ATTRIBUTE</c>: attribute names
/// (defaults <c>pk</c>, <c>value</c>, <c>expiresAt</c>).</item>
/// <item><c>COUNTER_IDEMPOTENCY_RETENTION_SECONDS</c>: how long idempotency keys are remembered (default 86400).</item>
/// <item><c>COUNTER_DYNAMODB_ENDPOINT</c>: an endpoint other than AWS's, for emulators.</item>
/// <item><c>AWS_REGION</c>: set by Lambda itself.</item>
/// </list>
/// </remarks>
internal sealed class LambdaSettings
{
    public required DynamoDbCounterStoreOptions Store { get; init; }

    public TimeSpan? IdempotencyRetention { get; init; }

    /// <summary>Reads the settings through <paramref name="variable"/> (the environment, or a test's dictionary).</summary>
    /// <exception cref="InvalidOperationException">A required variable is missing, or a value is invalid.</exception>
    public static LambdaSettings FromEnvironment(Func<string, string?> variable)
    {
        ArgumentNullException.ThrowIfNull(variable);

        string? Get(string name) => variable(name) is { Length: > 0 } value ? value.Trim() : null;

        var store = new DynamoDbCounterStoreOptions
        {
            TableName = Get("COUNTER_TABLE_NAME")
                ?? throw new InvalidOperationException("Set COUNTER_TABLE_NAME to the DynamoDB table the counters live in (template.yaml does)."),
            Region = Get("AWS_REGION") ?? Get("AWS_DEFAULT_REGION"),
        };
        store.KeyAttributeName = Get("COUNTER_KEY_ATTRIBUTE") ?? store.KeyAttributeName;
        store.ValueAttributeName = Get("COUNTER_VALUE_ATTRIBUTE") ?? store.ValueAttributeName;
        store.ExpiresAtAttributeName = Get("COUNTER_EXPIRES_AT_ATTRIBUTE") ?? store.ExpiresAtAttributeName;

        if (Get("COUNTER_DYNAMODB_ENDPOINT") is { } endpoint)
        {
            store.ServiceUrl = Uri.TryCreate(endpoint, UriKind.Absolute, out var url)
                ? url
                : throw new InvalidOperationException($"COUNTER_DYNAMODB_ENDPOINT must be an absolute URL (got '{endpoint}').");
        }

        TimeSpan? retention = null;
        if (Get("COUNTER_IDEMPOTENCY_RETENTION_SECONDS") is { } seconds)
        {
            retention = int.TryParse(seconds, NumberStyles.None, CultureInfo.InvariantCulture, out var s) && s >= 1
                ? TimeSpan.FromSeconds(s)
                : throw new InvalidOperationException(
                    $"COUNTER_IDEMPOTENCY_RETENTION_SECONDS must be a whole number of seconds, at least 1 (got '{seconds}').");
        }

        try
        {
            store.Validate();
        }
        catch (ArgumentException ex)
        {
            throw new InvalidOperationException($"The Counter function's settings are invalid: {ex.Message}", ex);
        }

        return new LambdaSettings { Store = store, IdempotencyRetention = retention };
    }

    /// <summary>Builds the handler: one client, one store, one service, logging as JSON lines to the function's log.</summary>
    public CounterHttpHandler CreateHandler()
    {
        var services = new ServiceCollection()
            .AddLogging(logging => logging.AddJsonConsole())
            .AddCounter(options =>
            {
                if (IdempotencyRetention is { } retention)
                {
                    options.IdempotencyRetention = retention;
                }
            })
            .AddDynamoDbCounterStore(options =>
            {
                options.TableName = Store.TableName;
                options.KeyAttributeName = Store.KeyAttributeName;
                options.ValueAttributeName = Store.ValueAttributeName;
                options.ExpiresAtAttributeName = Store.ExpiresAtAttributeName;
                options.ServiceUrl = Store.ServiceUrl;
                options.Region = Store.Region;
            });

        // The provider lives as long as the execution environment, like the client it owns.
        var provider = services.BuildServiceProvider();
        var logger = provider.GetRequiredService<ILoggerFactory>().CreateLogger("Counter.Aws.Lambda");
        Log.LambdaStarted(logger, Store.TableName, Store.Region ?? "(SDK default)");
        return provider.GetRequiredService<CounterHttpHandler>();
    }
}
