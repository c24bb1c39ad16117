using BenchmarkDotNet.Running;

namespace ESXiImageTools.Bench;

/// <summary>Runs the benchmarks: <c>dotnet run -c Release --project bench/ESXiImageTools.Bench -- --filter '*'</c>.</summary>
public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
