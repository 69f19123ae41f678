/**
 * kap.remote: watch and steer agents from a phone. A daemon on the host ({@link kap.remote.RemoteDaemon}, Helidon
 * WebServer, default port 19420 on the LAN address) serves a one-page phone UI and its API: capsules and their
 * sidecars' health, live audit events from every sidecar's admin listener, approval requests for denials (once, for
 * some minutes, permanently as a kap.toml line, or re-approving a changed MCP tool), and Claude Code timelines with
 * cancel and follow-up prompts.
 *
 * <p>Pairing: {@code kap remote pair} shows a QR code ({@link kap.remote.QrCode}) holding a single-use pairing code;
 * the phone trades it for a device token, of which only a hash is stored. Every API call needs a device token;
 * revoking a device closes its streams at once. Host and Origin are checked on every request.
 *
 * <p>The CLI runs it as {@code kap remote start|stop|status|pair|devices|revoke}, with capsules from the capsule
 * registry ({@link kap.remote.CapsuleSource}). See {@code docs/REMOTE.md}.
 */
module kap.remote {
    requires kap.policy;
    requires io.helidon.webserver;
    requires io.helidon.common.tls;
    requires io.helidon.common.pki;
    requires io.helidon.common.configurable;
    requires transitive com.fasterxml.jackson.databind;
    requires com.google.zxing;
    requires java.net.http;

    exports kap.remote;
}
