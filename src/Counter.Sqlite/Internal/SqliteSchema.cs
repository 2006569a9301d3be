using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Counter.Sqlite.Internal;

/// <summary>The database layout and connection settings, in one place.</summary>
internal static class SqliteSchema
{
    // WITHOUT ROWID: the name is the key, so rows are stored in name order with no second index.
    private const string CreateTables = """
        CREATE TABLE IF NOT EXISTS counters (
            name  TEXT    NOT NULL PRIMARY KEY,
            value INTEGER NOT NULL
        ) WITHOUT ROWID;

        CREATE TABLE IF NOT EXISTS idempotency_records (
            name       TEXT    NOT NULL,
            key        TEXT    NOT NULL,
            value      INTEGER NOT NULL,
            expires_at INTEGER NOT NULL,
            PRIMARY KEY (name, key)
        ) WITHOUT ROWID;

        CREATE INDEX IF NOT EXISTS idempotency_records_by_expiry ON idempotency_records (expires_at);
        """;

    public static SqliteConnection OpenWriter(string connectionString, SqliteCounterStoreOptions options)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            connection.Open();
            Execute(connection, "PRAGMA journal_mode = WAL;");
            Execute(connection, string.Create(
                CultureInfo.InvariantCulture, $"PRAGMA busy_timeout = {(long)options.BusyTimeout.TotalMilliseconds};"));
            Execute(connection, options.Durability == SqliteDurability.PowerLoss ? "PRAGMA synchronous = FULL;" : "PRAGMA synchronous = NORMAL;");
            Execute(connection, "BEGIN IMMEDIATE;" + CreateTables + "COMMIT;");
            return connection;
        }
        catch (SqliteException ex)
        {
            connection.Dispose();
            throw Unavailable("open", ex);
        }
    }

    public static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public static CounterStoreUnavailableException Unavailable(string operation, SqliteException ex) =>
        new($"The SQLite database failed a {operation}: {ex.Message}", ex);
}
