using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using Counter.Testing;

namespace Counter.Azure.Tests;

public sealed class BicepTemplateTests
{
    private static string TemplatePath => Path.Combine(TestEnvironment.RepositoryRoot, "infra", "azure", "main.bicep");

    [Fact]
    public async Task Build_MainTemplate_CompilesCleanlyToTheExpectedResources()
    {
        var (exitCode, json, errors) = await RunBicepAsync("build", TemplatePath, "--stdout");

        Assert.True(exitCode == 0, $"bicep build exited with {exitCode}:\n{errors}");
        Assert.True(errors.Trim().Length == 0, $"bicep build warned:\n{errors}");

        using var template = JsonDocument.Parse(json);
        var all = template.RootElement.GetProperty("resources");
        var resources = all.ValueKind == JsonValueKind.Array
            ? all.EnumerateArray().ToList()
            : all.EnumerateObject().Select(r => r.Value).ToList();
        var types = resources.Select(r => r.GetProperty("type").GetString()).ToList();

        Assert.Contains("Microsoft.Web/sites", types);
        Assert.Contains("Microsoft.Web/serverfarms", types);
        Assert.Contains("Microsoft.Storage/storageAccounts", types);
        Assert.Contains("Microsoft.Storage/storageAccounts/tableServices/tables", types);
        Assert.Equal(3, types.Count(t => t == "Microsoft.Authorization/roleAssignments"));

        var site = resources.Single(r => r.GetProperty("type").GetString() == "Microsoft.Web/sites").GetProperty("properties");
        var runtime = site.GetProperty("functionAppConfig").GetProperty("runtime");
        Assert.Equal("dotnet-isolated", runtime.GetProperty("name").GetString());
        Assert.Equal("10.0", runtime.GetProperty("version").GetString());

        var settings = site.GetProperty("siteConfig").GetProperty("appSettings").EnumerateArray()
            .Select(s => s.GetProperty("name").GetString())
            .ToList();
        Assert.Contains("CounterStorage__tableServiceUri", settings);
        Assert.Contains("CounterTableName", settings);
        Assert.Contains("AzureWebJobsStorage__accountName", settings);
    }

    private static async Task<(int ExitCode, string Output, string Errors)> RunBicepAsync(params string[] arguments)
    {
        var bicep = BicepExecutable();
        var info = new ProcessStartInfo(bicep) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var errors = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromMinutes(2));
        return (process.ExitCode, await output, await errors);
    }

    /// <summary>Finds the Bicep CLI that NuGet restored for this project (Azure.Bicep.CommandLine.linux-x64).</summary>
    private static string BicepExecutable()
    {
        var root = typeof(BicepTemplateTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(a => a.Key == "BicepPackageRoot")?.Value;
        var path = string.IsNullOrEmpty(root) ? null : Path.Combine(root, "tools", "bicep");
        if (path is null || !File.Exists(path))
        {
            TestEnvironment.SkipOrFail(
                "The Bicep CLI is missing: restore tests/Counter.Azure.Tests, which downloads Azure.Bicep.CommandLine.linux-x64 "
                + "(it ships tools/bicep for Linux x64 only).");
        }

        if (!OperatingSystem.IsWindows() && !File.GetUnixFileMode(path!).HasFlag(UnixFileMode.UserExecute))
        {
            File.SetUnixFileMode(path!, File.GetUnixFileMode(path!) | UnixFileMode.UserExecute);
        }

        return path!;
    }
}
