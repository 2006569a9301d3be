using Counter.Stores;

namespace Counter.Load.Targets;

/// <summary>Builds the target a command line asks for.</summary>
internal static class StoreFactory
{
    /// <summary>The stores <c>--store</c> knows, whether or not this build contains them.</summary>
    public static readonly IReadOnlyList<string> KnownStores = ["memory", "sqlite", "dynamodb", "tables", "firestore"];

    /// <summary>Creates the target for <paramref name="options"/>.</summary>
    /// <exception cref="UsageException">The store is unknown, not built in, or lacks its settings.</exception>
    public static ILoadTarget Create(LoadOptions options)
    {
        if (options.Url is { } url)
        {
            return new HttpLoadTarget(url, options.Concurrency);
        }

        return options.Store switch
        {
            "memory" => new StoreLoadTarget("in-memory store", new InMemoryCounterStore(), owner: null),
            "sqlite" or "dynamodb" or "tables" or "firestore" => throw new UsageException(
                $"Store '{options.Store}' is not built into this version of counter-load yet: its project is not on this branch."),
            _ => throw new UsageException($"Unknown store '{options.Store}'; use one of {string.Join(", ", KnownStores)}."),
        };
    }
}
