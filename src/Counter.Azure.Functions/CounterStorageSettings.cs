using Microsoft.Extensions.Configuration;

namespace Counter.Azure.Functions;

/// <summary>Reads where the counter table is from the standard Functions settings (app settings or local.settings.json).</summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>CounterStorage</c>: a connection string, or</item>
/// <item><c>CounterStorage__tableServiceUri</c>: a table endpoint reached with the app's managed identity
/// (<c>CounterStorage__clientId</c> picks a user-assigned one), or, when neither is set,</item>
/// <item><c>AzureWebJobsStorage</c> as a connection string: the host's own account.</item>
/// </list>
/// <c>CounterTableName</c> names the table (<c>counters</c> by default).
/// </remarks>
internal static class CounterStorageSettings
{
    public const string ConnectionName = "CounterStorage";

    public static void Apply(IConfiguration configuration, TableStorageCounterStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(options);

        var connection = configuration.GetSection(ConnectionName);
        if (!string.IsNullOrWhiteSpace(connection.Value))
        {
            options.ConnectionString = connection.Value;
        }
        else if (!string.IsNullOrWhiteSpace(connection["tableServiceUri"]))
        {
            options.TableServiceUri = new Uri(connection["tableServiceUri"]!, UriKind.Absolute);
            options.ManagedIdentityClientId = connection["clientId"];
        }
        else if (!string.IsNullOrWhiteSpace(configuration["AzureWebJobsStorage"]))
        {
            options.ConnectionString = configuration["AzureWebJobsStorage"];
        }
        else
        {
            throw new InvalidOperationException(
                $"Set the app setting {ConnectionName} (a connection string) or {ConnectionName}__tableServiceUri "
                + "(with a managed identity) to say where the counter table is.");
        }

        if (!string.IsNullOrWhiteSpace(configuration["CounterTableName"]))
        {
            options.TableName = configuration["CounterTableName"]!;
        }
    }
}
