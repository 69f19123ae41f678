package kap.remote;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;

/**
 * Daemons on loopback, on a free port, for tests.
 */
final class Daemons {

    private Daemons() {
    }

    static RemoteDaemon start(Path home, CapsuleSource capsules) throws IOException {
        return RemoteDaemon.start(RemoteOptions.of(home, "127.0.0.1", 0, capsules));
    }

    /** Pairs a device the way the phone does, and returns its token. */
    static String pair(RemoteDaemon daemon, String name) throws Exception {
        String code = code(daemon.newPairing().url());
        Client.Reply r = new Client(daemon.baseUri(), null).post("/api/pair",
                "{\"code\":\"" + code + "\",\"name\":\"" + name + "\"}");
        if (r.status() != 200) {
            throw new IllegalStateException("pairing failed: " + r.body());
        }
        return r.json().path("token").asText();
    }

    static String code(URI url) {
        return url.getFragment().substring("pair=".length());
    }
}
