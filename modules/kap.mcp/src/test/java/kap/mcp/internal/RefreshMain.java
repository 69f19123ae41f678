package kap.mcp.internal;

import java.net.http.HttpClient;
import java.nio.file.Path;

import kap.mcp.AuthRecord;
import kap.mcp.AuthStore;

/**
 * A second process that refreshes a token, for the test that races refreshers across processes (file locks are per
 * process, so only another process proves them). Args: auth dir, server name. It reads the stale record, waits for
 * the file {@code go} to appear next to the auth dir, refreshes, and prints the access token it ends with.
 */
final class RefreshMain {

    private RefreshMain() {
    }

    public static void main(String[] args) throws Exception {
        AuthStore store = AuthStore.at(Path.of(args[0]));
        AuthRecord stale = store.read(args[1]).orElseThrow();
        Path go = Path.of(args[0]).resolveSibling("go");
        System.out.println("READY");
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!java.nio.file.Files.exists(go) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();
        AuthRecord fresh = new TokenRefresher(store, args[1], http).refresh(stale);
        System.out.println("TOKEN " + fresh.accessToken());
    }
}
