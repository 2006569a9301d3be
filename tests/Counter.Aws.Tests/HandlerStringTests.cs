using System.Reflection;
using Counter.Aws.Lambda;
using Counter.Testing;

namespace Counter.Aws.Tests;

/// <summary>The handler string Lambda is given resolves to the entry point, and the template and docs give that string.</summary>
public sealed class HandlerStringTests
{
    [Fact]
    public void HandlerString_ResolvesToPublicHandleAsyncOfStream()
    {
        var parts = LambdaEntryPoint.HandlerString.Split("::");

        Assert.Equal(3, parts.Length);
        Assert.Equal("Counter.Aws", parts[0]);
        Assert.Equal(parts[0], typeof(LambdaEntryPoint).Assembly.GetName().Name);
        var type = Type.GetType($"{parts[1]}, {parts[0]}", throwOnError: true)!;
        Assert.Equal(typeof(LambdaEntryPoint), type);
        Assert.NotNull(type.GetConstructor(Type.EmptyTypes));

        var method = type.GetMethod(parts[2], BindingFlags.Public | BindingFlags.Instance, [typeof(Stream)]);
        Assert.NotNull(method);
        Assert.Equal(typeof(Task<Stream>), method.ReturnType);
    }

    [Theory]
    [InlineData("template.yaml")]
    [InlineData("docs/aws.md")]
    public void HandlerString_IsTheOneTheRepositoryGives(string file)
    {
        var text = File.ReadAllText(Path.Combine(TestEnvironment.RepositoryRoot, file));

        Assert.Contains(LambdaEntryPoint.HandlerString, text, StringComparison.Ordinal);
    }

    [Fact]
    public void FromEnvironment_NoTableName_ThrowsWithWhatToSet()
    {
        var error = Assert.Throws<InvalidOperationException>(() => LambdaSettings.FromEnvironment(_ => null));

        Assert.Contains("COUNTER_TABLE_NAME", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromEnvironment_AllVariables_AreRead()
    {
        var variables = new Dictionary<string, string>
        {
            ["COUNTER_TABLE_NAME"] = "t",
            ["COUNTER_KEY_ATTRIBUTE"] = "id",
            ["COUNTER_VALUE_ATTRIBUTE"] = "count",
            ["COUNTER_EXPIRES_AT_ATTRIBUTE"] = "ttl",
            ["COUNTER_IDEMPOTENCY_RETENTION_SECONDS"] = "60",
            ["COUNTER_DYNAMODB_ENDPOINT"] = "http://127.0.0.1:8000",
            ["AWS_REGION"] = "eu-west-1",
        };

        var settings = LambdaSettings.FromEnvironment(variables.GetValueOrDefault);

        var store = settings.Store;
        Assert.Equal(("t", "id", "count", "ttl"), (store.TableName, store.KeyAttributeName, store.ValueAttributeName, store.ExpiresAtAttributeName));
        Assert.Equal(TimeSpan.FromSeconds(60), settings.IdempotencyRetention);
        Assert.Equal(new Uri("http://127.0.0.1:8000"), settings.Store.ServiceUrl);
        Assert.Equal("eu-west-1", settings.Store.Region);
    }

    [Theory]
    [InlineData("COUNTER_IDEMPOTENCY_RETENTION_SECONDS", "0")]
    [InlineData("COUNTER_IDEMPOTENCY_RETENTION_SECONDS", "1h")]
    [InlineData("COUNTER_DYNAMODB_ENDPOINT", "not a url")]
    [InlineData("COUNTER_VALUE_ATTRIBUTE", "pk")]
    public void FromEnvironment_InvalidValue_Throws(string variable, string value)
    {
        var variables = new Dictionary<string, string> { ["COUNTER_TABLE_NAME"] = "t", [variable] = value };

        Assert.Throws<InvalidOperationException>(() => LambdaSettings.FromEnvironment(variables.GetValueOrDefault));
    }
}
