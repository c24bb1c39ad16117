using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

namespace ESXiImageTools.Core.Depots;

/// <summary>
/// The time <see cref="HttpDepotClient"/>'s retry loop reads and the back-off it waits: real time here; tests give a
/// manual one, so back-off and the give-up-at-the-deadline rule are proved without waiting.
/// </summary>
internal class RetryClock
{
    public static RetryClock System { get; } = new RetryClock();

    private readonly Stopwatch _started = Stopwatch.StartNew();

    /// <summary>Monotonic time since the clock was made.</summary>
    public virtual TimeSpan Now => _started.Elapsed;

    /// <summary>Waits <paramref name="delay"/> (cancellable).</summary>
    public virtual Task Delay(TimeSpan delay, CancellationToken cancellationToken) => Task.Delay(delay, cancellationToken);
}
