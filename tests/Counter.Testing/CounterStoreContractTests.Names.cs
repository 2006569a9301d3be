using Xunit;

namespace Counter.Testing;

public abstract partial class CounterStoreContractTests<TStore>
{
    [Theory]
    [MemberData(nameof(ContractData.AwkwardNames), MemberType = typeof(ContractData))]
    public virtual async Task Increment_AwkwardName_CountsOnItsOwn(string name)
    {
        var service = Service;

        // The awkward name may be shared with an earlier run against a persistent store, so start from a set value.
        await service.SetAsync(name, 100, Cancel);
        Assert.Equal(101, (await service.IncrementAsync(name, 1, null, Cancel)).Value);
        Assert.Equal(101, await service.GetAsync(name, Cancel));

        // A fresh name that starts with this one must not see its value (no prefix or escaping collisions).
        var sibling = name.Length > 64 ? NewName() : name + NewName("-sibling");
        Assert.Equal(0, await service.GetAsync(sibling, Cancel));

        await service.DeleteAsync(name, Cancel);
        Assert.Equal(0, await service.GetAsync(name, Cancel));
    }

    [Fact]
    public virtual async Task Increment_NamesDifferingOnlyInCase_AreDifferentCounters()
    {
        var service = Service;
        var lower = NewName("page");
        var upper = lower.ToUpperInvariant();

        await service.IncrementAsync(lower, 1, null, Cancel);
        await service.IncrementAsync(upper, 10, null, Cancel);

        Assert.Equal(1, await service.GetAsync(lower, Cancel));
        Assert.Equal(10, await service.GetAsync(upper, Cancel));
    }

    [Fact]
    public virtual async Task Increment_ComposedAndDecomposedForms_AreTheSameCounter()
    {
        var service = Service;
        var stem = NewName();
        var composed = stem + "caf\u00E9";
        var decomposed = stem + "cafe\u0301";

        await service.IncrementAsync(composed, 1, null, Cancel);
        await service.IncrementAsync(decomposed, 1, null, Cancel);

        Assert.Equal(2, await service.GetAsync(composed, Cancel));
    }

    [Fact]
    public virtual async Task Increment_NamesThatLookEncoded_DoNotCollide()
    {
        var service = Service;
        var stem = NewName();
        string[] names = [stem + "/a", stem + "%2Fa", stem + "_a", stem + "-a", stem + ".a", stem + " a", stem + "+a"];

        for (var i = 0; i < names.Length; i++)
        {
            await service.IncrementAsync(names[i], i + 1, null, Cancel);
        }

        for (var i = 0; i < names.Length; i++)
        {
            Assert.Equal(i + 1, await service.GetAsync(names[i], Cancel));
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("bell\u0007")]
    [InlineData("line\nbreak")]
    [InlineData("\u007F")]
    public virtual async Task Increment_InvalidName_ThrowsAndStoresNothing(string name)
    {
        await Assert.ThrowsAsync<InvalidCounterNameException>(() => Service.IncrementAsync(name, 1, null, Cancel).AsTask());
    }

    [Fact]
    public virtual async Task Increment_NameOver256Bytes_Throws()
    {
        var tooLong = new string('é', 129); // 258 UTF-8 bytes

        var error = await Assert.ThrowsAsync<InvalidCounterNameException>(() => Service.IncrementAsync(tooLong, 1, null, Cancel).AsTask());
        Assert.Contains("256", error.Reason, StringComparison.Ordinal);
    }
}

/// <summary>Shared inputs of the contract suite.</summary>
public static class ContractData
{
    /// <summary>Names that are valid but that some database would mangle, reject or confuse without an encoding.</summary>
    public static TheoryData<string> AwkwardNames =>
    [
        "/", "\\", "#", "?", "%", " ", ".", "..", "__x__", "__.*__", "😀", "blog/2026/hello", "a b", "%2F", "+", "'", "\"",
        "x%00", "Ünïcödé", "名前", "tab\u00A0nbsp", new string('n', CounterName.MaxUtf8Bytes), string.Concat(Enumerable.Repeat("é", 128)),
    ];
}
