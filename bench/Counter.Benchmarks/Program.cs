using BenchmarkDotNet.Running;
using Counter.Benchmarks;

// Takes BenchmarkDotNet's usual arguments, e.g. --filter '*' --job short; bench/run.sh shows the ones the page uses.
BenchmarkSwitcher.FromAssembly(typeof(HandlerBenchmarks).Assembly).Run(args);
