using ESXiImageTools.Core.Depots;

namespace ESXiImageTools.Infrastructure;

/// <summary>How a depot progress report reads in Write-Progress.</summary>
internal static class DepotProgressText
{
    public static ProgressDetail Describe(DepotProgress p)
    {
        var percent = p.BytesTotal > 0 ? (int)(p.BytesDone * 100 / p.BytesTotal) : -1;
        var bytes = p.BytesTotal > 0 ? $" ({p.BytesDone / 1048576.0:0.0} of {p.BytesTotal / 1048576.0:0.0} MB)" : "";
        return new ProgressDetail($"{p.Stage}: {p.Source}", (p.Item ?? "") + bytes, percent);
    }
}
