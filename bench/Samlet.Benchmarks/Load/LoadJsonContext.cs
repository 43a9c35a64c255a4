using System.Text.Json.Serialization;

namespace Samlet.Benchmarks.Load;

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(List<RunResult>))]
internal sealed partial class LoadJsonContext : JsonSerializerContext;
