namespace Counter.Core.Tests;

public sealed class CounterNameTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("/")]
    [InlineData("..")]
    [InlineData("__x__")]
    [InlineData("with space")]
    [InlineData("😀")]
    public void Parse_ValidName_KeepsIt(string name)
    {
        Assert.Equal(name, CounterName.Parse(name).Value);
    }

    [Fact]
    public void Parse_DecomposedForm_NormalisesToNfc()
    {
        var name = CounterName.Parse("cafe\u0301");

        Assert.Equal("caf\u00E9", name.Value);
        Assert.Equal(5, name.Utf8Length);
        Assert.Equal(CounterName.Parse("caf\u00E9"), name);
    }

    [Fact]
    public void Parse_Exactly256Utf8Bytes_IsValid()
    {
        Assert.Equal(256, CounterName.Parse(new string('é', 128)).Utf8Length);
        Assert.Equal(256, CounterName.Parse(string.Concat(Enumerable.Repeat("😀", 64))).Utf8Length);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("a\u0000b", "control")]
    [InlineData("tab\t", "control")]
    [InlineData("\u009F", "control")]
    public void Parse_InvalidName_ThrowsWithReason(string name, string reasonPart)
    {
        var error = Assert.Throws<InvalidCounterNameException>(() => CounterName.Parse(name));

        Assert.Contains(reasonPart, error.Reason, StringComparison.Ordinal);
        Assert.Equal(name, error.RejectedName);
    }

    [Fact]
    public void Parse_UnpairedSurrogate_Throws()
    {
        // Built in code: test-case serialisation would replace the lone surrogate with U+FFFD.
        var name = "lone" + (char)0xD800 + "surrogate";

        var error = Assert.Throws<InvalidCounterNameException>(() => CounterName.Parse(name));

        Assert.Contains("unpaired surrogate", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_257Utf8Bytes_Throws()
    {
        var error = Assert.Throws<InvalidCounterNameException>(() => CounterName.Parse(new string('a', 255) + "é"));

        Assert.Contains("257", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Equals_DifferentCase_AreDifferent()
    {
        Assert.NotEqual(CounterName.Parse("Page"), CounterName.Parse("page"));
    }
}

public sealed class CounterStorageKeyTests
{
    public static TheoryData<string> Names => ["a", "/", ".", "..", "__x__", "a/b", "a%2Fb", "😀", "Ünï", new string('é', 128), "\u00FF\u00FF\u00FF"];

    [Theory]
    [MemberData(nameof(Names))]
    public void Encode_AnyName_IsSafeAsciiAndRoundTrips(string text)
    {
        var name = CounterName.Parse(text);

        var key = CounterStorageKey.Encode(name);

        Assert.Matches("^[A-Za-z0-9_-]+$", key);
        Assert.False(key.StartsWith('_'), "A key starting with '_' could form Firestore's reserved __...__ ids.");
        Assert.InRange(key.Length, 1, CounterStorageKey.MaxLength);
        Assert.Equal(name, CounterStorageKey.Decode(key));
        Assert.Equal(key, name.StorageKey);
    }

    [Fact]
    public void Encode_LongestName_FitsMaxLength()
    {
        Assert.Equal(CounterStorageKey.MaxLength, CounterName.Parse(new string('z', 256)).StorageKey.Length);
        Assert.True(CounterStorageKey.MaxLength <= 342);
    }

    [Fact]
    public void Encode_NamesDifferingInCase_GiveDifferentKeys()
    {
        Assert.NotEqual(CounterName.Parse("A").StorageKey, CounterName.Parse("a").StorageKey);
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("_w")]
    [InlineData("AAE")]
    public void Decode_ForeignKey_ThrowsFormatException(string key)
    {
        Assert.Throws<FormatException>(() => CounterStorageKey.Decode(key));
    }
}
