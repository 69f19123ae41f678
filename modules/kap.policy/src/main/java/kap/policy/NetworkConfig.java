package kap.policy;

import java.util.List;

/**
 * {@code [proxy.network]}: which hosts and ports egress and DNS allow.
 *
 * @param allow allow rules; empty denies everything
 * @param deny deny rules; a deny always wins
 * @param unsafeAllowCidrs non-public ranges (loopback, private, link-local...) that resolved addresses may fall in;
 *         empty by default, meant for tests and intranets
 */
public record NetworkConfig(List<Rule> allow, List<Rule> deny, List<Cidr> unsafeAllowCidrs) {

    /**
     * Copies the lists.
     */
    public NetworkConfig {
        allow = List.copyOf(allow);
        deny = List.copyOf(deny);
        unsafeAllowCidrs = List.copyOf(unsafeAllowCidrs);
    }
}
