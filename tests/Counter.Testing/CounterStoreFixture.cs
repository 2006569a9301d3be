using Xunit;

namespace Counter.Testing;

/// <summary>Creates the store a contract test class runs against, starting and stopping whatever it needs.</summary>
/// <typeparam name="TStore">The store type, which the coverage meta-test matches against the store assemblies.</typeparam>
public abstract class CounterStoreFixture<TStore> : StartedFixture<ICounterStore>
    where TStore : ICounterStore
{
    /// <summary>Gets the store; skips or fails the calling test when it could not be started.</summary>
    public TStore Store => (TStore)Started;

    /// <summary>Starts what the store needs and creates it.</summary>
    /// <exception cref="EmulatorNotFoundException">A program the store needs is not installed.</exception>
    protected abstract ValueTask<TStore> CreateStoreAsync();

    /// <summary>Stops what <see cref="CreateStoreAsync"/> started.</summary>
    protected virtual ValueTask DisposeStoreAsync() => ValueTask.CompletedTask;

    /// <inheritdoc/>
    protected sealed override async ValueTask<ICounterStore> StartAsync() => await CreateStoreAsync().ConfigureAwait(false);

    /// <inheritdoc/>
    protected sealed override ValueTask StopAsync() => DisposeStoreAsync();
}

/// <summary>A program a test needs (an emulator, a CLI) is not installed; the message says what and how to get it.</summary>
public sealed class EmulatorNotFoundException(string message) : Exception(message);

/// <summary>Facts about where the tests run.</summary>
public static class TestEnvironment
{
    /// <summary>Gets a value indicating whether the tests run under CI, where nothing may be skipped.</summary>
    public static bool IsCI =>
        Environment.GetEnvironmentVariable("CI") is { } ci && (ci.Equals("true", StringComparison.OrdinalIgnoreCase) || ci == "1");

    /// <summary>Skips the current test with <paramref name="reason"/>, or fails it under CI.</summary>
    public static void SkipOrFail(string reason)
    {
        if (IsCI)
        {
            Assert.Fail($"{reason} (CI=true: tests that need it fail instead of skipping.)");
        }

        Assert.Skip(reason);
    }

    /// <summary>Gets the repository's root folder: the nearest one above the test binaries that holds Counter.sln.</summary>
    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Counter.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new InvalidOperationException($"No Counter.sln above {AppContext.BaseDirectory}.");
        }
    }
}
