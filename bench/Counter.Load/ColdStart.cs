using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace Counter.Load;

/// <summary>Cold start: milliseconds from starting a host process to its first answered increment.</summary>
internal sealed record ColdStartReport(string Command, IReadOnlyList<double> RunsMs, double MedianMs, double MinMs);

/// <summary>Starts a host again and again, polling it with an increment until one is answered.</summary>
internal static class ColdStart
{
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(60);

    /// <summary>Parses the cold-start arguments, measures and prints the result.</summary>
    /// <exception cref="UsageException">An argument is wrong.</exception>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        Uri? url = null;
        var runs = 5;
        string? freshFile = null;
        string? jsonPath = null;
        var reader = new ArgumentReader(args);
        IReadOnlyList<string> command = [];
        while (reader.Next() is { } arg)
        {
            switch (arg)
            {
                case "--url": url = reader.Uri(arg); break;
                case "--runs": runs = reader.Int(arg, 1, 100); break;
                case "--fresh-file": freshFile = reader.Value(arg); break;
                case "--json": jsonPath = reader.Value(arg); break;
                case "--": command = reader.Rest(); break;
                default: throw new UsageException($"Unknown cold-start argument '{arg}'.");
            }
        }

        if (url is null || command.Count == 0)
        {
            throw new UsageException("cold-start needs --url and, after --, the command that starts the host.");
        }

        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, ConnectTimeout = TimeSpan.FromSeconds(1) });
        var probe = new Uri(url, "/counters/cold-start");
        var times = new List<double>();
        for (var run = 0; run < runs; run++)
        {
            DeleteDatabase(freshFile);
            times.Add(await MeasureOnceAsync(command, client, probe, cancellationToken));
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"cold start {run + 1}/{runs}: {times[^1]:F0} ms"));
        }

        var sorted = times.Order().ToArray();
        var report = new ColdStartReport(string.Join(' ', command), times, sorted[sorted.Length / 2], sorted[0]);
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture, $"cold start of '{report.Command}': median {report.MedianMs:F0} ms, best {report.MinMs:F0} ms over {runs} runs"));
        if (jsonPath is not null)
        {
            await File.WriteAllTextAsync(
                jsonPath, System.Text.Json.JsonSerializer.Serialize(report, LoadJsonContext.Default.ColdStartReport), cancellationToken);
        }

        return 0;
    }

    private static async Task<double> MeasureOnceAsync(
        IReadOnlyList<string> command, HttpClient client, Uri probe, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        var began = Stopwatch.GetTimestamp();
        using var process = Process.Start(start) ?? throw new UsageException($"Could not start '{command[0]}'.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            while (Stopwatch.GetElapsedTime(began) < GiveUpAfter)
            {
                if (process.HasExited)
                {
                    throw new UsageException($"'{command[0]}' exited with code {process.ExitCode} before serving an increment.");
                }

                try
                {
                    using var response = await client.PostAsync(probe, content: null, cancellationToken);
                    if (response.IsSuccessStatusCode)
                    {
                        return Stopwatch.GetElapsedTime(began).TotalMilliseconds;
                    }
                }
                catch (HttpRequestException ex) when (ex.InnerException is SocketException)
                {
                    // Not listening yet.
                }

                await Task.Delay(1, cancellationToken);
            }

            throw new UsageException($"'{command[0]}' served no increment within {GiveUpAfter.TotalSeconds} s.");
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
        }
    }

    private static void DeleteDatabase(string? path)
    {
        if (path is null)
        {
            return;
        }

        foreach (var suffix in new[] { string.Empty, "-wal", "-shm", "-journal" })
        {
            File.Delete(path + suffix);
        }
    }
}
