using Counter.Local;

WebApplication app;
try
{
    app = LocalHost.Build(args);
}
catch (Exception ex) when (LocalHost.IsStartupError(ex))
{
    // A bad setting or an unusable database file: say so and stop, rather than serve 500s.
    await Console.Error.WriteLineAsync($"Counter cannot start: {ex.Message}");
    return 1;
}

await using (app)
{
    await app.RunAsync();
}

return 0;
