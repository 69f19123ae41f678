package kap.egress.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/** Two connected loopback channels wrapped as {@link Conn}s, for unit tests of code that reads and writes them. */
record SocketPair(Conn left, Conn right) implements AutoCloseable {

    static SocketPair open() throws IOException {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            SocketChannel a = SocketChannel.open(server.getLocalAddress());
            SocketChannel b = server.accept();
            return new SocketPair(new Conn(a), new Conn(b));
        }
    }

    @Override
    public void close() {
        left.close();
        right.close();
    }
}
