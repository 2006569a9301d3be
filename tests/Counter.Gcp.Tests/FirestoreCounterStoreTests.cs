using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;

namespace Counter.Gcp.Tests;

/// <summary>What the Firestore store does beyond the contract: its document layout and its guarded zone near the limits.</summary>
public sealed class FirestoreCounterStoreTests(FirestoreFixture fixture) : IClassFixture<FirestoreFixture>
{
    private const long NearLimit = 1L << 62;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static string NewName(string suffix = "") => $"store-{Guid.NewGuid():N}{suffix}";

    [Fact]
    public async Task Increment_NameWithSlash_WritesDocumentAtStorageKey()
    {
        var store = fixture.Store;
        var name = NewName("/a/../__x__");
        using var documents = new FirestoreDocuments(fixture.EmulatorHost, fixture.Options.ProjectId!);

        await store.IncrementAsync(new IncrementRequest(CounterName.Parse(name), 3), Cancel);

        var fields = await documents.GetAsync(FirestoreDocuments.CounterPath(name));
        Assert.Equal("3", fields?.GetProperty("value").GetProperty("integerValue").GetString());
    }

    [Fact]
    public async Task Increment_AcrossNearLimit_MovesCounterBetweenDocuments()
    {
        var store = fixture.Store;
        var name = CounterName.Parse(NewName());
        using var documents = new FirestoreDocuments(fixture.EmulatorHost, fixture.Options.ProjectId!);
        var main = FirestoreDocuments.CounterPath(name.Value);
        var guarded = $"{main}/nearLimit/value";

        await store.SetAsync(name, NearLimit, Cancel);
        Assert.NotNull(await documents.GetAsync(main));

        // The unguarded transform lands beyond 2^62, so the caller moves the counter to its guarded document.
        Assert.Equal(IncrementOutcome.Applied(NearLimit + 1), await store.IncrementAsync(new IncrementRequest(name, 1), Cancel));
        Assert.Null(await documents.GetAsync(main));
        Assert.NotNull(await documents.GetAsync(guarded));
        Assert.Equal(NearLimit + 1, await store.GetAsync(name, Cancel));

        // Back inside the safe zone, a guarded commit returns it to the main document.
        Assert.Equal(IncrementOutcome.Applied(NearLimit - 1), await store.IncrementAsync(new IncrementRequest(name, -2), Cancel));
        Assert.NotNull(await documents.GetAsync(main));
        Assert.Null(await documents.GetAsync(guarded));
    }

    [Fact]
    public async Task Set_NearLimit_NeverLetsTheTransformSaturate()
    {
        var store = fixture.Store;
        var name = CounterName.Parse(NewName());

        await store.SetAsync(name, long.MaxValue - 3, Cancel);

        // Each of these would saturate at MaxValue if it reached Firestore's transform.
        Assert.Equal(IncrementOutcome.Overflow(long.MaxValue - 3), await store.IncrementAsync(new IncrementRequest(name, 4), Cancel));
        Assert.Equal(IncrementOutcome.Overflow(long.MaxValue - 3), await store.IncrementAsync(new IncrementRequest(name, long.MaxValue), Cancel));
        Assert.Equal(IncrementOutcome.Applied(long.MaxValue), await store.IncrementAsync(new IncrementRequest(name, 3), Cancel));
        Assert.Equal(long.MaxValue, await store.GetAsync(name, Cancel));
    }

    [Fact]
    public async Task Increment_WithKey_StoresRecordWithExpiryForTtl()
    {
        var store = fixture.Store;
        var name = CounterName.Parse(NewName());
        var now = new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);
        var expiresAt = now.AddHours(24).AddTicks(1230);
        using var documents = new FirestoreDocuments(fixture.EmulatorHost, fixture.Options.ProjectId!);

        await store.IncrementAsync(new IncrementRequest(name, 2, idempotencyKey: "order/42", now: now, idempotencyExpiresAt: expiresAt), Cancel);

        var recordId = Base64Url.EncodeToString(Encoding.ASCII.GetBytes("order/42"));
        var fields = await documents.GetAsync($"{FirestoreDocuments.CounterPath(name.Value)}/idempotencyKeys/{recordId}");
        Assert.Equal("2", fields?.GetProperty("value").GetProperty("integerValue").GetString());
        var stored = fields!.Value.GetProperty("expiresAt").GetProperty("timestampValue").GetString()!;
        Assert.Equal(expiresAt.AddTicks(-(expiresAt.Ticks % 10)), DateTimeOffset.Parse(stored, CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Constructor_NoProjectForRealFirestore_Throws()
    {
        var options = Options.Create(new FirestoreCounterStoreOptions { EmulatorHost = null });

        var error = Assert.Throws<ArgumentException>(() => new FirestoreCounterStore(options));

        Assert.Contains("ProjectId", error.Message, StringComparison.Ordinal);
    }
}
