using Azure;
using Azure.Data.Tables;
using Azure.Data.Tables.Models;

namespace Counter.Azure.Tests;

/// <summary>A table client that passes calls to a real one, failing chosen writes before or after they reach the service.</summary>
internal sealed class FaultyTableClient(TableClient inner) : TableClient
{
    /// <summary>Gets or sets what runs before each write; throw from it to fail the write before it is sent.</summary>
    public Func<int, Task>? BeforeWrite { get; set; }

    /// <summary>Gets or sets what runs after each write reached the service; throw from it to lose the response.</summary>
    public Action<int>? AfterWrite { get; set; }

    /// <summary>Gets or sets what runs before each read.</summary>
    public Action<int>? BeforeRead { get; set; }

    /// <summary>Gets how many writes were attempted.</summary>
    public int Writes { get; private set; }

    /// <summary>Gets how many reads were attempted.</summary>
    public int Reads { get; private set; }

    public override string Name => inner.Name;

    public override Uri Uri => inner.Uri;

    /// <summary>Gets or sets a value indicating whether creating the table is forbidden, as for an entity-only credential.</summary>
    public bool ForbidCreate { get; set; }

    public override Task<Response<TableItem>> CreateIfNotExistsAsync(CancellationToken cancellationToken = default) =>
        ForbidCreate ? throw new RequestFailedException(403, "Not allowed to create tables.") : inner.CreateIfNotExistsAsync(cancellationToken);

    public override Task<NullableResponse<T>> GetEntityIfExistsAsync<T>(
        string partitionKey, string rowKey, IEnumerable<string>? select = null, CancellationToken cancellationToken = default)
    {
        BeforeRead?.Invoke(++Reads);
        return inner.GetEntityIfExistsAsync<T>(partitionKey, rowKey, select, cancellationToken);
    }

    public override AsyncPageable<T> QueryAsync<T>(
        string? filter = null, int? maxPerPage = null, IEnumerable<string>? select = null, CancellationToken cancellationToken = default)
    {
        BeforeRead?.Invoke(++Reads);
        return inner.QueryAsync<T>(filter, maxPerPage, select, cancellationToken);
    }

    public override Task<Response> AddEntityAsync<T>(T entity, CancellationToken cancellationToken = default) =>
        WriteAsync(() => inner.AddEntityAsync(entity, cancellationToken));

    public override Task<Response> UpdateEntityAsync<T>(
        T entity, ETag ifMatch, TableUpdateMode mode = TableUpdateMode.Merge, CancellationToken cancellationToken = default) =>
        WriteAsync(() => inner.UpdateEntityAsync(entity, ifMatch, mode, cancellationToken));

    public override Task<Response> UpsertEntityAsync<T>(
        T entity, TableUpdateMode mode = TableUpdateMode.Merge, CancellationToken cancellationToken = default) =>
        WriteAsync(() => inner.UpsertEntityAsync(entity, mode, cancellationToken));

    public override Task<Response<IReadOnlyList<Response>>> SubmitTransactionAsync(
        IEnumerable<TableTransactionAction> transactionActions, CancellationToken cancellationToken = default) =>
        WriteAsync(() => inner.SubmitTransactionAsync(transactionActions, cancellationToken));

    private async Task<TResult> WriteAsync<TResult>(Func<Task<TResult>> write)
    {
        var attempt = ++Writes;
        if (BeforeWrite is not null)
        {
            await BeforeWrite(attempt);
        }

        var result = await write();
        AfterWrite?.Invoke(attempt);
        return result;
    }
}
