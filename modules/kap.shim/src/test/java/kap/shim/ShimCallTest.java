package kap.shim;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * The shim's own refusals happen before it connects, with the limit named; an unreachable sidecar is explained.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ShimCallTest {

    @Test
    void aOneMegabyteArgumentIsRefusedBeforeConnecting() throws Exception {
        AtomicInteger connections = new AtomicInteger();
        try (ServerSocket sidecar = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                try (Socket s = sidecar.accept()) {
                    connections.incrementAndGet();
                } catch (IOException e) {
                    // closed by the test
                }
            });
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = call(List.of("issue", "create", "--body", "a".repeat(1024 * 1024)),
                    "127.0.0.1:" + sidecar.getLocalPort(), err);
            assertThat(code, is(Wire.EXIT_KAP_ERROR));
            assertThat(err.toString(StandardCharsets.UTF_8), containsString("kap: gh was not run: argument 4 is 1048576"
                    + " bytes, over the limit of 131072 (MAX_ARG_BYTES)"));
            assertThat(connections.get(), is(0));
        }
    }

    @Test
    void anUnreachableSidecarIsExplained() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = call(List.of("pr", "list"), "127.0.0.1:1", err);
        assertThat(code, is(Wire.EXIT_KAP_ERROR));
        assertThat(err.toString(StandardCharsets.UTF_8), containsString("cannot reach the kap sidecar's CLI proxy at"
                + " 127.0.0.1:1 (KAP_CLIX)"));
    }

    private static int call(List<String> args, String address, ByteArrayOutputStream err) {
        Invocation invocation = new Invocation(0, "/opt/kap/bin/gh", "gh", args);
        return new ShimCall(invocation, Map.of("KAP_CLIX", address), "/workspace",
                new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream(), err).run();
    }
}
