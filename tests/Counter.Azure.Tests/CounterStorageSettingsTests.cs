using Counter.Azure.Functions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Counter.Azure.Tests;

public sealed class CounterStorageSettingsTests
{
    private static TableStorageCounterStoreOptions Apply(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();
        var options = new TableStorageCounterStoreOptions();
        CounterStorageSettings.Apply(configuration, options);
        return options;
    }

    [Fact]
    public void Apply_ConnectionString_UsesIt()
    {
        var options = Apply(("CounterStorage", "UseDevelopmentStorage=true"), ("AzureWebJobsStorage", "other"), ("CounterTableName", "hits"));

        Assert.Equal("UseDevelopmentStorage=true", options.ConnectionString);
        Assert.Equal("hits", options.TableName);
    }

    [Fact]
    public void Apply_TableServiceUri_UsesManagedIdentity()
    {
        var options = Apply(
            ("CounterStorage:tableServiceUri", "https://acct.table.core.windows.net"), ("CounterStorage:clientId", "abc"));

        Assert.Null(options.ConnectionString);
        Assert.Equal(new Uri("https://acct.table.core.windows.net"), options.TableServiceUri);
        Assert.Equal("abc", options.ManagedIdentityClientId);
        Assert.Equal("counters", options.TableName);
    }

    [Fact]
    public void Apply_OnlyHostStorage_FallsBackToIt()
    {
        Assert.Equal("UseDevelopmentStorage=true", Apply(("AzureWebJobsStorage", "UseDevelopmentStorage=true")).ConnectionString);
    }

    [Fact]
    public void Apply_NothingSet_ThrowsNamingTheSettings()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Apply());

        Assert.Contains("CounterStorage__tableServiceUri", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddTableStorageCounterStore_ResolvesTheStoreAndTheFunctions()
    {
        using var provider = new ServiceCollection()
            .AddCounter()
            .AddTableStorageCounterStore(o => o.ConnectionString = "UseDevelopmentStorage=true")
            .BuildServiceProvider();

        Assert.IsType<TableStorageCounterStore>(provider.GetRequiredService<ICounterStore>());
        Assert.NotNull(ActivatorUtilities.CreateInstance<CounterFunctions>(provider));
    }
}
