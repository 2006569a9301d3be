using System.Text.Json.Serialization;
using Counter.Load.Targets;

namespace Counter.Load;

/// <summary>JSON for the responses the tool reads and the report it writes.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(CounterValue))]
[JsonSerializable(typeof(ProblemType))]
[JsonSerializable(typeof(LoadReport))]
[JsonSerializable(typeof(ColdStartReport))]
internal sealed partial class LoadJsonContext : JsonSerializerContext;
