using System.Diagnostics;
using Counter.Testing;

namespace Counter.Aws.Tests;

/// <summary>template.yaml passes cfn-lint and says what the store needs: TTL on its expiry attribute, only its own actions.</summary>
public sealed class TemplateTests
{
    private static string TemplatePath => Path.Combine(TestEnvironment.RepositoryRoot, "template.yaml");

    [Fact]
    public async Task Template_CfnLint_Passes()
    {
        var cfnLint = EmulatorProcess.FindExecutable("cfn-lint");
        if (cfnLint is null)
        {
            TestEnvironment.SkipOrFail("cfn-lint is not installed; install it with: pip install cfn-lint");
        }

        var info = new ProcessStartInfo(cfnLint!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = TestEnvironment.RepositoryRoot,
        };
        info.ArgumentList.Add("template.yaml");
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var errors = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken)
            .WaitAsync(TimeSpan.FromMinutes(3), TestContext.Current.CancellationToken);

        Assert.True(process.ExitCode == 0, $"cfn-lint exited with {process.ExitCode}:\n{await output}\n{await errors}");
    }

    [Fact]
    public void Template_Table_MatchesTheStoresDefaults()
    {
        var template = File.ReadAllText(TemplatePath);
        var defaults = new DynamoDbCounterStoreOptions();

        Assert.Contains("Runtime: dotnet10", template, StringComparison.Ordinal);
        Assert.Contains("BillingMode: PAY_PER_REQUEST", template, StringComparison.Ordinal);
        Assert.Contains($"AttributeName: {defaults.KeyAttributeName}\n          AttributeType: S", template, StringComparison.Ordinal);
        Assert.Contains(
            $"TimeToLiveSpecification:\n        AttributeName: {defaults.ExpiresAtAttributeName}\n        Enabled: true",
            template,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Template_Policy_GrantsOnlyTheStoresActionsOnItsTable()
    {
        var lines = File.ReadAllLines(TemplatePath).Select(l => l.Trim()).ToList();
        var actions = lines.Where(l => l.StartsWith("- dynamodb:", StringComparison.Ordinal)).Select(l => l[2..]).Order().ToList();

        Assert.Equal(["dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"], actions);
        Assert.Contains("Resource: !GetAtt CountersTable.Arn", lines);
        Assert.DoesNotContain(lines, l => l.Contains('*', StringComparison.Ordinal) && !l.StartsWith('#'));
    }
}
