using Counter.Sqlite;
using Counter.Stores;
using Microsoft.Extensions.Options;

namespace Counter.Load.Targets;

/// <summary>Builds the target a command line asks for.</summary>
internal static class StoreFactory
{
    /// <summary>The stores <c>--store</c> knows, whether or not this build contains them.</summary>
    public static readonly IReadOnlyList<string> KnownStores = ["memory", "sqlite", "dynamodb", "tables", "firestore"];

    /// <summary>Creates the target for <paramref name="options"/>.</summary>
    /// <exception cref="UsageException">The store is unknown, not built in, or lacks its settings.</exception>
    public static async Task<ILoadTarget> CreateAsync(LoadOptions options)
    {
        if (options.Url is { } url)
        {
            return new HttpLoadTarget(url, options.Concurrency);
        }

        return options.Store switch
        {
            "memory" => new StoreLoadTarget("in-memory store", new InMemoryCounterStore(), owner: null),
            "sqlite" => CreateSqlite(options),
            "dynamodb" => await CloudStores.CreateDynamoDbAsync(options),
            "firestore" => CloudStores.CreateFirestore(options),
            "tables" => CloudStores.CreateTables(options),
            _ => throw new UsageException($"Unknown store '{options.Store}'; use one of {string.Join(", ", KnownStores)}."),
        };
    }

    private static StoreLoadTarget CreateSqlite(LoadOptions options)
    {
        if (!Enum.TryParse<SqliteDurability>(options.Durability, ignoreCase: true, out var durability))
        {
            throw new UsageException($"--durability must be ProcessCrash or PowerLoss (got '{options.Durability}').");
        }

        var temporary = options.Database is null ? Path.Combine(Path.GetTempPath(), $"counter-load-{Guid.NewGuid():N}.db") : null;
        var store = new SqliteCounterStore(Options.Create(new SqliteCounterStoreOptions
        {
            DatabasePath = options.Database ?? temporary!,
            Durability = durability,
        }));

        return new StoreLoadTarget($"SQLite store ({durability})", store, new SqliteOwner(store, temporary));
    }

    /// <summary>Closes the store, then deletes its file when the tool made it.</summary>
    private sealed class SqliteOwner(SqliteCounterStore store, string? temporaryPath) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await store.DisposeAsync();
            if (temporaryPath is not null)
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                foreach (var suffix in new[] { string.Empty, "-wal", "-shm" })
                {
                    File.Delete(temporaryPath + suffix);
                }
            }
        }
    }
}
