using System.Reflection;
using Xunit;

namespace Counter.Testing;

/// <summary>The meta-test's check: every store type has a contract test class, so no store ships untested.</summary>
public static class ContractCoverage
{
    /// <summary>Fails when a public, concrete <see cref="ICounterStore"/> in <paramref name="storeAssembly"/> has no
    /// concrete <see cref="CounterStoreContractTests{TStore}"/> subclass in <paramref name="testAssembly"/>.</summary>
    public static void AssertEveryStoreIsCovered(Assembly storeAssembly, Assembly testAssembly)
    {
        ArgumentNullException.ThrowIfNull(storeAssembly);
        ArgumentNullException.ThrowIfNull(testAssembly);

        var stores = storeAssembly.GetExportedTypes()
            .Where(t => t is { IsAbstract: false, IsInterface: false } && typeof(ICounterStore).IsAssignableFrom(t))
            .ToList();

        var covered = testAssembly.GetTypes()
            .Where(t => !t.IsAbstract)
            .Select(ContractStoreType)
            .OfType<Type>()
            .ToHashSet();

        var missing = stores.Where(s => !covered.Contains(s)).Select(s => s.FullName).ToList();
        Assert.True(
            missing.Count == 0,
            $"These stores have no contract test class deriving from CounterStoreContractTests<TStore>: {string.Join(", ", missing)}");
        Assert.NotEmpty(stores);
    }

    private static Type? ContractStoreType(Type type)
    {
        for (var current = type.BaseType; current is not null; current = current.BaseType)
        {
            if (current.IsGenericType && current.GetGenericTypeDefinition() == typeof(CounterStoreContractTests<>))
            {
                return current.GetGenericArguments()[0];
            }
        }

        return null;
    }
}
