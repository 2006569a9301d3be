using Microsoft.Data.Sqlite;

namespace Counter.Sqlite.Internal;

/// <summary>The writer's prepared statements, compiled once and reused for every write.</summary>
internal sealed class SqliteStatements : IDisposable
{
    private readonly SqliteCommand readCounter;
    private readonly SqliteCommand writeCounter;
    private readonly SqliteCommand deleteCounter;
    private readonly SqliteCommand readRecord;
    private readonly SqliteCommand writeRecord;
    private readonly SqliteCommand purgeRecords;

    public SqliteStatements(SqliteConnection connection)
    {
        Begin = Create(connection, "BEGIN IMMEDIATE");
        Commit = Create(connection, "COMMIT");
        Rollback = Create(connection, "ROLLBACK");
        readCounter = Create(connection, "SELECT value FROM counters WHERE name = $name", "$name");
        writeCounter = Create(
            connection,
            "INSERT INTO counters (name, value) VALUES ($name, $value) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            "$name",
            "$value");
        deleteCounter = Create(connection, "DELETE FROM counters WHERE name = $name", "$name");
        readRecord = Create(
            connection, "SELECT value FROM idempotency_records WHERE name = $name AND key = $key AND expires_at > $now", "$name", "$key", "$now");
        writeRecord = Create(
            connection,
            "INSERT OR REPLACE INTO idempotency_records (name, key, value, expires_at) VALUES ($name, $key, $value, $expires)",
            "$name",
            "$key",
            "$value",
            "$expires");
        purgeRecords = Create(
            connection,
            "DELETE FROM idempotency_records WHERE (name, key) IN (SELECT name, key FROM idempotency_records WHERE expires_at <= $now LIMIT 10000)",
            "$now");
    }

    public SqliteCommand Begin { get; }

    public SqliteCommand Commit { get; }

    public SqliteCommand Rollback { get; }

    public long? ReadCounter(string name)
    {
        readCounter.Parameters[0].Value = name;
        return readCounter.ExecuteScalar() is long value ? value : null;
    }

    public void WriteCounter(string name, long value)
    {
        writeCounter.Parameters[0].Value = name;
        writeCounter.Parameters[1].Value = value;
        writeCounter.ExecuteNonQuery();
    }

    public void DeleteCounter(string name)
    {
        deleteCounter.Parameters[0].Value = name;
        deleteCounter.ExecuteNonQuery();
    }

    public long? ReadRecord(string name, string key, long nowUnixMs)
    {
        readRecord.Parameters[0].Value = name;
        readRecord.Parameters[1].Value = key;
        readRecord.Parameters[2].Value = nowUnixMs;
        return readRecord.ExecuteScalar() is long value ? value : null;
    }

    public void WriteRecord(string name, string key, long value, long expiresUnixMs)
    {
        writeRecord.Parameters[0].Value = name;
        writeRecord.Parameters[1].Value = key;
        writeRecord.Parameters[2].Value = value;
        writeRecord.Parameters[3].Value = expiresUnixMs;
        writeRecord.ExecuteNonQuery();
    }

    public int PurgeRecords(long nowUnixMs)
    {
        purgeRecords.Parameters[0].Value = nowUnixMs;
        return purgeRecords.ExecuteNonQuery();
    }

    public void Dispose()
    {
        foreach (var command in new[] { Begin, Commit, Rollback, readCounter, writeCounter, deleteCounter, readRecord, writeRecord, purgeRecords })
        {
            command.Dispose();
        }
    }

    private static SqliteCommand Create(SqliteConnection connection, string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new SqliteParameter(parameter, null));
        }

        command.Prepare();
        return command;
    }
}
