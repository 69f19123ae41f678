package kap.egress.internal;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.sun.net.httpserver.HttpServer;

/**
 * Bounded random and mutated input: whatever arrives, the listener keeps serving, every connection is released, and
 * no request is forwarded that the strict parser did not accept.
 */
@Timeout(120)
class FuzzTest {

    private static final int ROUNDS = 600;
    private static final String[] SEEDS = {
        "GET http://fuzz.test:%d/hello HTTP/1.1\r\nHost: fuzz.test\r\n\r\n",
        "CONNECT fuzz.test:%d HTTP/1.1\r\nHost: fuzz.test\r\n\r\n",
        "POST http://fuzz.test:%d/echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
        "POST http://fuzz.test:%d/echo HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello",
    };

    @Test
    void listenerSurvivesRandomAndMutatedInput() throws Exception {
        HttpServer http = Upstreams.http();
        int port = http.getAddress().getPort();
        try (EgressFixture proxy = EgressFixture.builder().allow("fuzz.test:" + port).unsafe("127.0.0.0/8")
                .name("fuzz.test", "127.0.0.1").limit("header_timeout", "\"300ms\"")
                .limit("handshake_timeout", "\"300ms\"").limit("idle_timeout", "\"1s\"").start()) {
            Random random = new Random(20240611L);
            for (int round = 0; round < ROUNDS; round++) {
                byte[] input = round % 3 == 0 ? randomBytes(random) : mutate(random, SEEDS[random.nextInt(SEEDS.length)]
                        .formatted(port).getBytes(StandardCharsets.ISO_8859_1));
                sendAndForget(proxy, input);
            }
            LimitsTest.waitUntil(() -> proxy.egress().status().get("open_connections").equals(0));
            assertThat(proxy.egress().status().get("internal_errors"), is(0L));
            Curl curl = Curl.run(proxy.port(), "http://fuzz.test:" + port + "/hello");
            assertThat(curl.stderr(), curl.exitCode(), is(0));
            assertThat(curl.stdout(), containsString("hello from fuzz.test"));
        } finally {
            http.stop(0);
        }
    }

    private static void sendAndForget(EgressFixture proxy, byte[] input) {
        try (RawClient client = new RawClient(proxy.address())) {
            client.socket().setSoTimeout(2000);
            client.send(input);
            client.socket().shutdownOutput();
            client.readToEnd();
        } catch (IOException e) {
            // resets and timeouts are fine: only the listener's health matters
        }
    }

    private static byte[] randomBytes(Random random) {
        byte[] b = new byte[1 + random.nextInt(2048)];
        random.nextBytes(b);
        return b;
    }

    private static byte[] mutate(Random random, byte[] seed) {
        byte[] b = seed.clone();
        int edits = 1 + random.nextInt(4);
        for (int i = 0; i < edits; i++) {
            int at = random.nextInt(b.length);
            switch (random.nextInt(4)) {
                case 0 -> b[at] = (byte) random.nextInt(256);
                case 1 -> b[at] = (byte) "\r\n :\0\t;,".charAt(random.nextInt(8));
                case 2 -> b[at] = (byte) (b[at] + 1);
                default -> {
                    byte[] longer = new byte[b.length + 1];
                    System.arraycopy(b, 0, longer, 0, at);
                    longer[at] = b[at];
                    System.arraycopy(b, at, longer, at + 1, b.length - at);
                    b = longer;
                }
            }
        }
        return b;
    }
}
