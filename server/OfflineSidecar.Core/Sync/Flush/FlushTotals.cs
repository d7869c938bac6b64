using System.Globalization;
using OfflineSidecar.Core.Operations;

namespace OfflineSidecar.Core.Sync.Flush;

/// <summary>What one flush did, summed over its batches, for FlushCompleted and progress.</summary>
internal sealed class FlushTotals
{
    public int Sent { get; private set; }
    public int Applied { get; private set; }
    public int Failed { get; private set; }
    public int Conflicts { get; private set; }
    public int Deferred { get; private set; }

    public void Add(IReadOnlyList<OperationOutcome> outcomes)
    {
        foreach (var outcome in outcomes)
        {
            Sent++;
            switch (outcome.NewStatus)
            {
                case OperationStatus.Succeeded:
                    Applied++;
                    break;
                case OperationStatus.Failed:
                    Failed++;
                    break;
                case OperationStatus.Conflict:
                    Conflicts++;
                    break;
                default:
                    Deferred++;
                    break;
            }
        }
    }

    public string Summary()
    {
        if (Sent == 0)
        {
            return "Nothing was sent";
        }

        var text = string.Create(CultureInfo.InvariantCulture, $"Synced {Applied} of {Sent} operations");
        if (Failed > 0)
        {
            text += string.Create(CultureInfo.InvariantCulture, $", {Failed} failed");
        }

        if (Conflicts > 0)
        {
            text += string.Create(CultureInfo.InvariantCulture, $", {Conflicts} in conflict");
        }

        if (Deferred > 0)
        {
            text += string.Create(CultureInfo.InvariantCulture, $", {Deferred} to retry");
        }

        return text;
    }
}
