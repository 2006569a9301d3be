using BenchmarkDotNet.Attributes;
using Counter.Http;
using Counter.Stores;

namespace Counter.Benchmarks;

/// <summary>One increment through each layer, in-memory store underneath: store, service, then the HTTP handler.</summary>
[MemoryDiagnoser]
public class HandlerBenchmarks
{
    private const string RawPath = "/counters/page-views";

    private static readonly ReadOnlyMemory<byte> ByOne = "{\"by\":1}"u8.ToArray();

    private InMemoryCounterStore store = null!;
    private CounterService service = null!;
    private CounterHttpHandler handler = null!;
    private CounterName name = null!;

    /// <summary>Builds the store, service and handler as <c>AddCounter</c> would, with no logger or meter factory.</summary>
    [GlobalSetup]
    public void Setup()
    {
        store = new InMemoryCounterStore();
        service = new CounterService(store);
        handler = new CounterHttpHandler(service);
        name = CounterName.Parse("page-views");
    }

    /// <summary>The store alone: one atomic increment of an existing counter.</summary>
    [Benchmark]
    public ValueTask<IncrementOutcome> StoreIncrement() =>
        store.IncrementAsync(new IncrementRequest(name, 1), CancellationToken.None);

    /// <summary>The service: rules, clock, metrics, then the store.</summary>
    [Benchmark]
    public ValueTask<IncrementResult> ServiceIncrement() => service.IncrementAsync(name, 1);

    /// <summary>The handler, as a host calls it for <c>POST /counters/page-views</c> with no body.</summary>
    [Benchmark(Baseline = true)]
    public ValueTask<CounterHttpResponse> HandlerIncrement() =>
        handler.HandleAsync(new CounterHttpRequest { Method = "POST", RawPath = RawPath });

    /// <summary>The handler for the same increment with the body <c>{"by":1}</c>, which must be parsed.</summary>
    [Benchmark]
    public ValueTask<CounterHttpResponse> HandlerIncrementWithBody() =>
        handler.HandleAsync(new CounterHttpRequest { Method = "POST", RawPath = RawPath, ContentType = "application/json", Body = ByOne });

    /// <summary>The handler for <c>GET /counters/page-views</c>.</summary>
    [Benchmark]
    public ValueTask<CounterHttpResponse> HandlerGet() =>
        handler.HandleAsync(new CounterHttpRequest { Method = "GET", RawPath = RawPath });
}
