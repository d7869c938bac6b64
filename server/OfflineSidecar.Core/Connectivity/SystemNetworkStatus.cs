using System.Net.NetworkInformation;

namespace OfflineSidecar.Core.Connectivity;

/// <summary><see cref="INetworkStatus"/> from the OS: availability plus its change notifications.</summary>
public sealed class SystemNetworkStatus : INetworkStatus, IDisposable
{
    private EventHandler? changed;
    private bool subscribed;
    private readonly Lock gate = new();

    public bool IsAvailable => NetworkInterface.GetIsNetworkAvailable();

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

    private void OnAvailabilityChanged(object? sender, NetworkAvailabilityEventArgs e) => changed?.Invoke(this, EventArgs.Empty);

    private void OnAddressChanged(object? sender, EventArgs e) => changed?.Invoke(this, EventArgs.Empty);
}
