namespace Counter.Azure.Internal;

/// <summary>Jittered pauses between retries, so that writers that collided do not collide again in step.</summary>
internal static class Backoff
{
    /// <summary>A pause after a lost write: uniform up to a cap that grows with the attempts, up to <paramref name="max"/>.</summary>
    public static TimeSpan AfterConflict(int conflicts, TimeSpan max)
    {
        var cap = Math.Min(max.TotalMilliseconds, Math.Pow(2, Math.Min(conflicts, 20)));
        return TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * cap);
    }

    /// <summary>A pause after a transient error: what the service asked, or exponential from <paramref name="first"/>, jittered.</summary>
    public static TimeSpan AfterTransient(int retry, TimeSpan first, TimeSpan? retryAfter)
    {
        if (retryAfter is { } asked && asked > TimeSpan.Zero)
        {
            return asked;
        }

        var exponential = first.TotalMilliseconds * Math.Pow(2, Math.Min(retry, 10));
        return TimeSpan.FromMilliseconds(exponential * (0.5 + (Random.Shared.NextDouble() / 2)));
    }
}
