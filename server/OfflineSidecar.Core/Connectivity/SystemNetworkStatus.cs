using System.Net.NetworkInformation;

namespace OfflineSidecar.Core.Connectivity;

/// <summary>
/// <see cref="INetworkStatus"/> from the OS: availability plus its change notifications. While the OS change events
/// are subscribed, the availability reading is cached until the next event: on Linux each
/// <see cref="NetworkInterface.GetIsNetworkAvailable"/> opens netlink sockets and reads /proc and /sys per
/// interface (~0.3 ms of CPU), and the sync engine asks on every step, i.e. after every enqueue.
/// </summary>
public sealed class SystemNetworkStatus : INetworkStatus, IDisposable
{
    private EventHandler? changed;
    private bool subscribed;
    private readonly Lock gate = new();

    // Guarded by gate. generation moves on every OS event, so a reading taken before an event is never cached after it.
    private bool? cachedAvailable;
    private long generation;

    public bool IsAvailable
    {
        get
        {
            long readAt;
            lock (gate)
            {
                if (cachedAvailable is { } cached)
                {
                    return cached;
                }

                readAt = generation;
            }

            // Read outside the lock: it is slow, and a concurrent event must not wait for it.
            bool available = NetworkInterface.GetIsNetworkAvailable();
            lock (gate)
            {
                // Without the OS events nothing would ever invalidate the cache, so only cache while subscribed.
                if (subscribed && generation == readAt)
                {
                    cachedAvailable = available;
                }
            }

            return available;
        }
    }

    public event EventHandler? Changed
    {
        add
        {
            lock (gate)
            {
                changed += value;
                Subscribe();
            }
        }
        remove
        {
            lock (gate)
            {
                changed -= value;
            }
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            if (subscribed)
            {
                NetworkChange.NetworkAvailabilityChanged -= OnAvailabilityChanged;
                NetworkChange.NetworkAddressChanged -= OnAddressChanged;
                subscribed = false;
            }

            cachedAvailable = null;
            generation++;
            changed = null;
        }
    }

    // Subscribing starts an OS listener, so it waits until someone wants to hear about changes.
    private void Subscribe()
    {
        if (subscribed)
        {
            return;
        }

        try
        {
            NetworkChange.NetworkAvailabilityChanged += OnAvailabilityChanged;
            NetworkChange.NetworkAddressChanged += OnAddressChanged;
            subscribed = true;
        }
        catch (NetworkInformationException)
        {
            // Some sandboxes refuse the netlink socket; probing on failure still finds the server again.
        }
        catch (PlatformNotSupportedException)
        {
        }
    }

    private void OnAvailabilityChanged(object? sender, NetworkAvailabilityEventArgs e) => OnOsChanged();

    private void OnAddressChanged(object? sender, EventArgs e) => OnOsChanged();

    private void OnOsChanged()
    {
        // Forget the reading before telling anyone, so listeners that ask again get a fresh one.
        lock (gate)
        {
            cachedAvailable = null;
            generation++;
        }

        changed?.Invoke(this, EventArgs.Empty);
    }
}
