using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Counter.Local.Tests;

/// <summary>The local host as its own process (<c>dotnet Counter.Local.dll</c>), as a user runs it.</summary>
internal sealed partial class LocalProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();
    private readonly TaskCompletionSource<(Uri Address, string DatabasePath)> started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private LocalProcess(Process process) => this.process = process;

    public Uri Address { get; private set; } = null!;

    public string DatabasePath { get; private set; } = null!;

    public int Id => process.Id;

    public static async Task<LocalProcess> StartAsync(string workingDirectory, IReadOnlyDictionary<string, string>? environment = null, params string[] args)
    {
        var info = StartInfo(workingDirectory, args);
        info.Environment["Logging__Console__FormatterName"] = "simple";
        info.Environment["Logging__Console__FormatterOptions__SingleLine"] = "true";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var local = new LocalProcess(Process.Start(info)!);
        local.process.OutputDataReceived += (_, e) => local.OnLine(e.Data);
        local.process.ErrorDataReceived += (_, e) => local.OnLine(e.Data);
        local.process.BeginOutputReadLine();
        local.process.BeginErrorReadLine();

        try
        {
            (local.Address, local.DatabasePath) = await local.started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            await local.DisposeAsync();
            throw new InvalidOperationException($"The local host did not start within 30 s:\n{local.Output}");
        }

        return local;
    }

    /// <summary>How both ways of running the host start it: <c>dotnet Counter.Local.dll</c> with its output captured.</summary>
    private static ProcessStartInfo StartInfo(string workingDirectory, string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Counter.Local.dll"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // The host's own defaults are under test: no address may leak in from the environment of the test run.
        info.Environment.Remove("PORT");
        info.Environment.Remove("ASPNETCORE_URLS");
        return info;
    }

    /// <summary>Runs the host with arguments that should make it stop by itself, and returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunToExitAsync(string workingDirectory, params string[] args)
    {
        var info = StartInfo(workingDirectory, args);

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"The host kept running:\n{await stdout}{await stderr}");
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    /// <summary>Kills the process at once, as a crash would: no shutdown, no flushing.</summary>
    public async Task CrashAsync()
    {
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            started.TrySetException(new InvalidOperationException($"The local host exited:\n{Output}"));
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }

        var match = StartedLine().Match(line);
        if (match.Success)
        {
            started.TrySetResult((new Uri(match.Groups["address"].Value), match.Groups["path"].Value));
        }
    }

    [GeneratedRegex(@"Counter is serving on (?<address>http://\S+) with counters in (?<path>.+)$")]
    private static partial Regex StartedLine();
}
