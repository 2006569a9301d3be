namespace Counter.Sqlite;

/// <summary>Settings for <see cref="SqliteCounterStore"/>.</summary>
public sealed class SqliteCounterStoreOptions
{
    /// <summary>Gets or sets the database file; created with its tables when missing.</summary>
    /// <value><c>counters.db</c> in the working directory by default.</value>
    public string DatabasePath { get; set; } = "counters.db";

    /// <summary>Gets or sets what an acknowledged write survives.</summary>
    /// <value><see cref="SqliteDurability.ProcessCrash"/> by default.</value>
    public SqliteDurability Durability { get; set; } = SqliteDurability.ProcessCrash;

    /// <summary>Gets or sets how long a write waits for another process that holds the database's write lock.</summary>
    /// <value>30 seconds by default; past it the caller gets <see cref="CounterStoreUnavailableException"/>.</value>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets the most writes committed together in one transaction.</summary>
    /// <value>512 by default.</value>
    public int MaxBatchSize { get; set; } = 512;
}

/// <summary>What an acknowledged write survives, which sets SQLite's <c>synchronous</c> mode.</summary>
public enum SqliteDurability
{
    /// <summary>A crash or kill of the process (WAL with <c>synchronous=NORMAL</c>); a power loss may drop the last commits.</summary>
    ProcessCrash,

    /// <summary>A power loss too (<c>synchronous=FULL</c>): every commit waits for the disk.</summary>
    PowerLoss,
}
