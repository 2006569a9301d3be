using Xunit;

namespace Counter.Testing;

/// <summary>A fixture that starts something the tests use (a store, a host) once per test class, and stops it after.</summary>
/// <typeparam name="T">What the tests get.</typeparam>
/// <remarks>
/// When what it needs is not installed (<see cref="EmulatorNotFoundException"/>), the tests that use it are
/// skipped with the reason, except under CI (<c>CI=true</c>) where they fail with it: CI must never pass by skipping.
/// </remarks>
public abstract class StartedFixture<T> : IAsyncLifetime
    where T : class
{
    private T? started;
    private string? missing;

    /// <summary>Gets why it could not be started (a program is not installed), or <see langword="null"/>.</summary>
    /// <remarks>A fixture built on another one passes this on as an <see cref="EmulatorNotFoundException"/>.</remarks>
    public string? MissingReason => missing;

    /// <summary>Gets what was started; skips or fails the calling test when it could not be started.</summary>
    protected T Started
    {
        get
        {
            if (started is not null)
            {
                return started;
            }

            TestEnvironment.SkipOrFail(missing ?? $"The {GetType().Name} fixture has not been initialised.");
            throw new InvalidOperationException("unreachable");
        }
    }

    /// <summary>Starts it.</summary>
    /// <exception cref="EmulatorNotFoundException">A program it needs is not installed.</exception>
    protected abstract ValueTask<T> StartAsync();

    /// <summary>Stops what <see cref="StartAsync"/> started; called even when starting failed.</summary>
    protected virtual ValueTask StopAsync() => ValueTask.CompletedTask;

    /// <summary>Lets go of what the tests used, just before <see cref="StopAsync"/>.</summary>
    protected virtual void Release(T resource)
    {
    }

    /// <inheritdoc/>
    public async ValueTask InitializeAsync()
    {
        try
        {
            started = await StartAsync().ConfigureAwait(false);
        }
        catch (EmulatorNotFoundException ex)
        {
            missing = ex.Message;
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (started is not null)
        {
            Release(started);
        }

        await StopAsync().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }
}
