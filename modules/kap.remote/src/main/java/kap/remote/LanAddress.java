package kap.remote;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The address a phone on the same Wi-Fi reaches this host at: the first private IPv4 address of an interface that is
 * up, not loopback, not point-to-point (a VPN tunnel) and not virtual (Docker bridges). Nothing is sent to find it.
 */
public final class LanAddress {

    private LanAddress() {
    }

    /**
     * Detects the LAN address.
     *
     * @return the address, or empty if this host has none (then the daemon needs {@code --listen})
     */
    public static Optional<String> detect() {
        try {
            List<NetworkInterface> interfaces = Collections.list(NetworkInterface.getNetworkInterfaces());
            List<String> found = new ArrayList<>();
            for (NetworkInterface i : interfaces) {
                if (!i.isUp() || i.isLoopback() || i.isPointToPoint() || i.isVirtual() || virtual(i.getName())) {
                    continue;
                }
                for (InetAddress a : Collections.list(i.getInetAddresses())) {
                    if (a instanceof Inet4Address && a.isSiteLocalAddress()) {
                        found.add(a.getHostAddress());
                    }
                }
            }
            return found.stream().findFirst();
        } catch (SocketException e) {
            return Optional.empty();
        }
    }

    /** Container and VM bridges look like LAN interfaces but a phone cannot reach them. */
    static boolean virtual(String name) {
        return name.startsWith("docker") || name.startsWith("br-") || name.startsWith("veth")
                || name.startsWith("virbr") || name.startsWith("cni") || name.startsWith("flannel")
                || name.startsWith("utun") || name.startsWith("tun") || name.startsWith("wg");
    }
}
