using System.Text.Json;
using Counter.Load;
using Counter.Load.Targets;

// counter-load: see LoadOptions.Usage, or run it with --help.
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

if (args.Length == 0 || args[0] is "--help" or "-h")
{
    Console.WriteLine(LoadOptions.Usage);
    return args.Length == 0 ? 2 : 0;
}

try
{
    if (args[0] == "cold-start")
    {
        return await ColdStart.RunAsync(args[1..], cancel.Token);
    }

    var options = LoadOptions.Parse(args);
    await using var target = await StoreFactory.CreateAsync(options);
    var report = await new LoadRunner(options, target, Console.Error).RunAsync(cancel.Token);

    Console.Write(report.ToText());
    if (options.JsonPath is not null)
    {
        await File.WriteAllTextAsync(options.JsonPath, JsonSerializer.Serialize(report, LoadJsonContext.Default.LoadReport), cancel.Token);
    }

    return report.Exact ? 0 : 1;
}
catch (UsageException ex)
{
    await Console.Error.WriteLineAsync($"counter-load: {ex.Message}");
    return 2;
}
catch (LoadErrorException ex)
{
    await Console.Error.WriteLineAsync($"counter-load: could not read the counters ({ex.Kind}): {ex.InnerException?.Message ?? ex.Message}");
    return 3;
}
