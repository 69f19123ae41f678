/**
 * The sidecar process: loads the policy, starts every listener found through
 * {@link kap.sidecar.spi.ListenerProvider}, serves the admin listener (health and status, never on the capsule
 * side; with an admin token also the audit event stream and approvals for the host's remote daemon), and shuts down
 * gracefully.
 *
 * <p>Main types: {@link kap.sidecar.Sidecar}; {@link kap.sidecar.SidecarCommand}, which the CLI runs as
 * {@code kap sidecar} and the sidecar image runs through {@link kap.sidecar.Main}.
 *
 * @uses kap.sidecar.spi.ListenerProvider
 * @uses kap.sidecar.spi.ResolverProvider how listeners resolve names (kap.dns: the configured DNS upstreams)
 * @provides java.lang.System.LoggerFinder one line per record on stderr; level from {@code KAP_LOG_LEVEL}
 */
module kap.sidecar {
    requires transitive kap.policy;
    requires jdk.httpserver;
    requires com.fasterxml.jackson.core;
    requires com.fasterxml.jackson.databind;
    requires info.picocli;

    exports kap.sidecar;
    exports kap.sidecar.spi;

    uses kap.sidecar.spi.ListenerProvider;
    uses kap.sidecar.spi.ResolverProvider;

    // picocli reads the sidecar command's annotations reflectively
    opens kap.sidecar to info.picocli;

    // kap's own one-line console format; also avoids java.util.logging's start-up cost
    provides java.lang.System.LoggerFinder with kap.sidecar.ConsoleLoggerFinder;
}
