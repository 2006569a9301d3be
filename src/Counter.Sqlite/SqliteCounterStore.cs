using Counter.Sqlite.Internal;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Counter.Sqlite;

/// <summary>A counter store in one SQLite file, the embedded default.</summary>
/// <remarks>
/// Writes go through one writer that commits every write waiting at that moment in a single transaction
/// (group commit), so many concurrent increments cost one commit rather than one each, and no write is
/// acknowledged before its commit. Each write inside the batch reads, decides and writes under the
/// transaction's lock, so there is no read-then-write race, in this process or with other processes sharing
/// the file (they take the same write lock, waiting up to <see cref="SqliteCounterStoreOptions.BusyTimeout"/>).
/// Reads use their own pooled connections and never wait for the writer (WAL).
/// </remarks>
public sealed class SqliteCounterStore : ICounterStore, IAsyncDisposable, IDisposable
{
    private readonly string connectionString;
    private readonly SqliteWriter writer;

    /// <summary>Initializes a new instance of the <see cref="SqliteCounterStore"/> class, creating the database if needed.</summary>
    /// <exception cref="CounterStoreUnavailableException">The database file cannot be opened or created.</exception>
    public SqliteCounterStore(
        IOptions<SqliteCounterStoreOptions> options, TimeProvider? timeProvider = null, ILogger<SqliteCounterStore>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);

        var settings = options.Value;
        ArgumentException.ThrowIfNullOrWhiteSpace(settings.DatabasePath, "options.DatabasePath");
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.MaxBatchSize, 1, "options.MaxBatchSize");

        DatabasePath = Path.GetFullPath(settings.DatabasePath);
        connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = (int)Math.Ceiling(settings.BusyTimeout.TotalSeconds),
        }.ToString();

        writer = new SqliteWriter(
            SqliteSchema.OpenWriter(connectionString, settings),
            settings.MaxBatchSize,
            timeProvider ?? TimeProvider.System,
            logger ?? (ILogger)NullLogger.Instance);
    }

    /// <summary>Gets the full path of the database file.</summary>
    public string DatabasePath { get; }

    /// <inheritdoc/>
    public ValueTask<IncrementOutcome> IncrementAsync(IncrementRequest request, CancellationToken cancellationToken) =>
        writer.IncrementAsync(request, cancellationToken);

    /// <inheritdoc/>
    public ValueTask SetAsync(CounterName name, long value, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        return writer.SetAsync(name, value, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask DeleteAsync(CounterName name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        return writer.DeleteAsync(name, cancellationToken);
    }

    /// <inheritdoc/>
    public async ValueTask<long> GetAsync(CounterName name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);

        try
        {
            await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT value FROM counters WHERE name = $name";
            command.Parameters.AddWithValue("$name", name.Value);
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long value ? value : 0;
        }
        catch (SqliteException ex)
        {
            throw SqliteSchema.Unavailable("read", ex);
        }
    }

    /// <inheritdoc/>
    public async ValueTask CheckHealthAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM sqlite_schema WHERE name = 'counters'";
            await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException ex)
        {
            throw SqliteSchema.Unavailable("health check", ex);
        }

        writer.ThrowIfStopped();
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => writer.DisposeAsync();

    /// <inheritdoc/>
    public void Dispose() => writer.DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async Task<SqliteConnection> OpenReaderAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }
}
