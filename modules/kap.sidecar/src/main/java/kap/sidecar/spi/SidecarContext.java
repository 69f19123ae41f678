package kap.sidecar.spi;

import kap.policy.AuditLog;
import kap.policy.KapConfig;
import kap.policy.LivePolicy;

/**
 * What the sidecar shares with its listeners.
 *
 * @param policy the live policy; call {@link LivePolicy#current()} once per request
 * @param audit the audit log
 * @param startConfig the configuration at start, for listen addresses and other settings that need a restart
 * @param resolver how names become addresses
 */
public record SidecarContext(LivePolicy policy, AuditLog audit, KapConfig startConfig, Resolver resolver) {
}
