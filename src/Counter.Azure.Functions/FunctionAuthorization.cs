using Microsoft.Azure.Functions.Worker;

namespace Counter.Azure.Functions;

/// <summary>The authorization level of every Counter function, chosen at build time.</summary>
/// <remarks>
/// The Functions host reads the level from the compiled metadata, so it cannot come from an app setting. Build with
/// <c>-p:CounterAuthorizationLevel=Anonymous</c> (or <c>Admin</c>) to change it; the default asks for a function key.
/// </remarks>
internal static class FunctionAuthorization
{
#if COUNTER_AUTH_ANONYMOUS
    /// <summary>The level the functions were built with.</summary>
    public const AuthorizationLevel Level = AuthorizationLevel.Anonymous;
#elif COUNTER_AUTH_ADMIN
    /// <summary>The level the functions were built with.</summary>
    public const AuthorizationLevel Level = AuthorizationLevel.Admin;
#else
    /// <summary>The level the functions were built with.</summary>
    public const AuthorizationLevel Level = AuthorizationLevel.Function;
#endif
}
