package kap.egress.internal;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;

/**
 * Connects to vetted addresses, in order, within one overall connect deadline. It takes socket addresses only: there
 * is no way to hand it a name, so nothing here can resolve again.
 */
final class Dialer {

    private Dialer() {
    }

    /**
     * A connected upstream.
     *
     * @param conn the connection
     * @param address the address it went to
     */
    record Dialed(Conn conn, InetSocketAddress address) {
    }

    /**
     * Connects to the first address that answers.
     *
     * @param addresses vetted addresses, at least one
     * @param timeout deadline for all attempts together
     * @return the connection
     * @throws EgressException {@code GATEWAY_TIMEOUT} if the deadline passed, else {@code BAD_GATEWAY}
     */
    static Dialed dial(List<InetSocketAddress> addresses, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean timedOut = false;
        boolean refused = false;
        for (InetSocketAddress address : addresses) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                timedOut = true;
                break;
            }
            SocketChannel channel = null;
            try {
                channel = SocketChannel.open();
                channel.socket().connect(address, (int) Math.min(left, Integer.MAX_VALUE));
                return new Dialed(new Conn(channel), address);
            } catch (SocketTimeoutException e) {
                timedOut = true;
                Conn.closeQuietly(channel);
            } catch (ConnectException e) {
                refused = true;
                Conn.closeQuietly(channel);
            } catch (IOException | RuntimeException e) {
                // unreachable network, no route: try the next address
                Conn.closeQuietly(channel);
            }
        }
        if (timedOut && !refused) {
            return fail(EgressException.Kind.GATEWAY_TIMEOUT, "upstream did not accept the connection within "
                    + timeout.toMillis() + " ms");
        }
        return fail(EgressException.Kind.BAD_GATEWAY, refused ? "upstream refused the connection"
                : "upstream unreachable");
    }

    private static Dialed fail(EgressException.Kind kind, String message) {
        throw new EgressException(kind, message);
    }
}
