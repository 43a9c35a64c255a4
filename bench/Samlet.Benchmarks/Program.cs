using BenchmarkDotNet.Running;
using Samlet.Benchmarks.Load;
using Samlet.Benchmarks.Storage;

if (args.Length > 0 && args[0] == "load")
{
    return await IngestionLoad.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "profiles")
{
    return await Samlet.Benchmarks.Profiles.ProfileLoad.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "freshness")
{
    return await Samlet.Benchmarks.Profiles.Freshness.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "pipeline")
{
    return await Samlet.Benchmarks.Pipeline.PipelineThroughput.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "audiences")
{
    return await Samlet.Benchmarks.Audiences.AudienceBench.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "append")
{
    return await AppendThroughput.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "apply")
{
    return await PipelineApply.RunAsync(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
