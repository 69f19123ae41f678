/**
 * The sidecar process: loads the policy, starts every listener found through
 * {@link kap.sidecar.spi.ListenerProvider}, serves the admin listener (health and status, never on the capsule
 * side), and shuts down gracefully.
 *
 * <p>Main type: {@link kap.sidecar.Sidecar}. The CLI runs it as {@code kap sidecar}.
 *
 * @uses kap.sidecar.spi.ListenerProvider
 * @provides java.lang.System.LoggerFinder one line per record on stderr; level from {@code KAP_LOG_LEVEL}
 */
module kap.sidecar {
    requires transitive kap.policy;
    requires jdk.httpserver;
    requires com.fasterxml.jackson.core;

    exports kap.sidecar;
    exports kap.sidecar.spi;

    uses kap.sidecar.spi.ListenerProvider;

    // kap's own one-line console format; also avoids java.util.logging's start-up cost
    provides java.lang.System.LoggerFinder with kap.sidecar.ConsoleLoggerFinder;
}
