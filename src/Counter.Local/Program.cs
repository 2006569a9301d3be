using Counter.Local;

await using var app = LocalHost.Build(args);
await app.RunAsync();
