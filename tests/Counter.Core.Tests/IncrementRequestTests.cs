namespace Counter.Core.Tests;

public sealed class IncrementRequestTests
{
    private static readonly CounterName Name = CounterName.Parse("n");

    [Fact]
    public void AcceptedRange_PositiveDeltaNoBounds_StopsBeforeOverflow()
    {
        var request = new IncrementRequest(Name, 10);

        Assert.Equal(long.MinValue, request.LowestAcceptedCurrent);
        Assert.Equal(long.MaxValue - 10, request.HighestAcceptedCurrent);
    }

    [Fact]
    public void AcceptedRange_NegativeDeltaNoBounds_StopsBeforeUnderflow()
    {
        var request = new IncrementRequest(Name, -10);

        Assert.Equal(long.MinValue + 10, request.LowestAcceptedCurrent);
        Assert.Equal(long.MaxValue, request.HighestAcceptedCurrent);
    }

    [Fact]
    public void AcceptedRange_WithBounds_IsBoundsMinusDelta()
    {
        var request = new IncrementRequest(Name, 3, min: 0, max: 10);

        Assert.Equal(-3, request.LowestAcceptedCurrent);
        Assert.Equal(7, request.HighestAcceptedCurrent);
        Assert.True(request.AcceptsMissingCounter);
    }

    [Fact]
    public void AcceptedRange_Unreachable_IsEmpty()
    {
        var request = new IncrementRequest(Name, long.MaxValue, max: long.MinValue);

        Assert.False(request.Accepts(long.MinValue));
        Assert.False(request.Accepts(0));
        Assert.False(request.Accepts(long.MaxValue));
    }

    [Theory]
    [InlineData(long.MaxValue, 1, IncrementStatus.Overflow)]
    [InlineData(long.MinValue, -1, IncrementStatus.Overflow)]
    [InlineData(5, 1, IncrementStatus.OutOfBounds)]
    public void Refused_TellsOverflowFromBounds(long current, long delta, IncrementStatus expected)
    {
        var request = new IncrementRequest(Name, delta, max: 5);

        Assert.Equal(new IncrementOutcome(expected, current), request.Decide(current));
    }

    [Fact]
    public void Decide_Accepted_ReturnsNewValue()
    {
        Assert.Equal(IncrementOutcome.Applied(long.MaxValue), new IncrementRequest(Name, 1).Decide(long.MaxValue - 1));
    }

    [Fact]
    public void Constructor_ZeroDelta_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new IncrementRequest(Name, 0));
    }

    [Fact]
    public void Constructor_MinAboveMax_Throws()
    {
        Assert.Throws<ArgumentException>(() => new IncrementRequest(Name, 1, min: 2, max: 1));
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("ünicode")]
    [InlineData("two,values")]
    public void IdempotencyKey_Invalid_Throws(string key)
    {
        Assert.Throws<InvalidIdempotencyKeyException>(() => IdempotencyKey.Validate(key));
    }

    [Fact]
    public void IdempotencyKey_255PrintableChars_IsValid()
    {
        IdempotencyKey.Validate(new string('~', 255));
        Assert.Throws<InvalidIdempotencyKeyException>(() => IdempotencyKey.Validate(new string('~', 256)));
    }
}
