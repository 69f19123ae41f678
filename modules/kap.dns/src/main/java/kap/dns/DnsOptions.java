package kap.dns;

import java.nio.file.Path;
import java.util.Objects;

import kap.policy.AuditLog;
import kap.policy.Endpoint;
import kap.policy.LivePolicy;

/**
 * How to start a {@link DnsForwarder}.
 *
 * @param policy the live policy; read once per query
 * @param audit where refusals (and, with {@code log_allowed}, answers) are recorded
 * @param listen address and port for both UDP and TCP; port 0 picks one free on both
 * @param resolvConf the host's resolver configuration, read once at start for its {@code nameserver} lines (used
 *         when {@code proxy.dns_upstream} is empty) and its {@code search}/{@code domain} lines; a missing file
 *         counts as empty
 */
public record DnsOptions(LivePolicy policy, AuditLog audit, Endpoint listen, Path resolvConf) {

    /** The host's resolver configuration on Linux. */
    public static final Path HOST_RESOLV_CONF = Path.of("/etc/resolv.conf");

    /**
     * Validates the record.
     */
    public DnsOptions {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(audit, "audit");
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(resolvConf, "resolvConf");
    }

    /**
     * Options that read the host's {@code /etc/resolv.conf}.
     *
     * @param policy live policy
     * @param audit audit log
     * @param listen listen address
     * @return options
     */
    public static DnsOptions of(LivePolicy policy, AuditLog audit, Endpoint listen) {
        return new DnsOptions(policy, audit, listen, HOST_RESOLV_CONF);
    }
}
