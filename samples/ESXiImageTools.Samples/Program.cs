namespace ESXiImageTools.Samples;

/// <summary>Regenerates the embedded sample depot under samples/.</summary>
public static class Program
{
    public static int Main(string[] args) => 0;
}
