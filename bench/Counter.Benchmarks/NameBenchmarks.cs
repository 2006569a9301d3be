using BenchmarkDotNet.Attributes;

namespace Counter.Benchmarks;

/// <summary>Name validation and normalisation, and the storage-key encoding every cloud store applies.</summary>
[MemoryDiagnoser]
public class NameBenchmarks
{
    // Fields rather than constants, so that each call reads its input as a host would.
    private readonly string ascii = "page-views";

    // "café" spelled with a combining acute accent, which NFC composes into one character.
    private readonly string decomposed = "cafe\u0301-visits";

    private readonly string emoji = "🔥-streak/day#1";

    private CounterName emojiName = null!;

    /// <summary>Parses the name whose key is encoded.</summary>
    [GlobalSetup]
    public void Setup() => emojiName = CounterName.Parse(emoji);

    /// <summary>A short ASCII name, the common case: already NFC.</summary>
    [Benchmark(Baseline = true)]
    public CounterName ParseAscii() => CounterName.Parse(ascii);

    /// <summary>A name that is not NFC and must be normalised.</summary>
    [Benchmark]
    public CounterName ParseNonNfc() => CounterName.Parse(decomposed);

    /// <summary>A name with an emoji (a surrogate pair) and URL-special characters.</summary>
    [Benchmark]
    public CounterName ParseEmoji() => CounterName.Parse(emoji);

    /// <summary>The base64url storage key of the emoji name.</summary>
    [Benchmark]
    public string EncodeStorageKey() => CounterStorageKey.Encode(emojiName);
}
