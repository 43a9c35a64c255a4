using BenchmarkDotNet.Running;
using Samlet.Benchmarks.Load;

if (args.Length > 0 && args[0] == "load")
{
    return await IngestionLoad.RunAsync(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
