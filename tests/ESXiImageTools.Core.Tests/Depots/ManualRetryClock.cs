using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using ESXiImageTools.Core.Depots;

namespace ESXiImageTools.Core.Tests.Depots;

/// <summary>A retry clock that moves only when the client waits: each wait is recorded and passes at once.</summary>
internal sealed class ManualRetryClock : RetryClock
{
    private readonly object _gate = new object();
    private TimeSpan _now;

    public List<TimeSpan> Waits { get; } = new List<TimeSpan>();

    public override TimeSpan Now { get { lock (_gate) return _now; } }

    public override Task Delay(TimeSpan delay, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            Waits.Add(delay);
            _now += delay;
        }
        return Task.CompletedTask;
    }
}
