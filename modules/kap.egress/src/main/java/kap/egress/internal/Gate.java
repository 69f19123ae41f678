package kap.egress.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import kap.policy.Classification;
import kap.policy.Decision;
import kap.policy.HostPort;
import kap.policy.LivePolicy;
import kap.policy.Policy;
import kap.sidecar.spi.Resolver;

/**
 * Judges a target in two layers with one policy snapshot, top to bottom with early returns:
 * <ol>
 *     <li>the normalised host and port against {@code [proxy.network]} ({@link Policy#decideHost});</li>
 *     <li>the name is resolved once (an IP literal is taken as is), and every address is classified and vetted
 *     ({@link Policy#vet}); addresses that fail are dropped, and if none is left the target is denied.</li>
 * </ol>
 * The caller dials only the addresses returned, never the name again, so a second DNS answer (rebinding) cannot
 * change where the connection goes.
 */
final class Gate {

    private final LivePolicy live;
    private final Resolver resolver;

    Gate(LivePolicy live, Resolver resolver) {
        this.live = live;
        this.resolver = resolver;
    }

    /** The outcome of both layers. */
    sealed interface Judgement {
        /** The snapshot used, for the deny message. */
        Policy policy();

        /** The decision to record. */
        Decision decision();
    }

    /**
     * Dial these addresses, in order.
     *
     * @param policy snapshot used
     * @param decision the host decision (layer 1)
     * @param addresses vetted socket addresses, at least one
     * @param openedBy the unsafe CIDR that opened the first address, if one did
     */
    record Admitted(Policy policy, Decision decision, List<InetSocketAddress> addresses, Optional<String> openedBy)
            implements Judgement {
    }

    /**
     * Refused by a layer.
     *
     * @param policy snapshot used
     * @param decision the deny
     * @param refused for a layer-2 deny, the first address refused and its class
     */
    record Denied(Policy policy, Decision decision, Optional<Classification> refused) implements Judgement {
    }

    /**
     * Layer 1 allowed, but the name has no address: a 502, not a policy deny.
     *
     * @param policy snapshot used
     * @param decision the host decision
     */
    record Unresolved(Policy policy, Decision decision) implements Judgement {
    }

    /**
     * Judges one target with the policy in force now.
     *
     * @param target normalised host and port
     * @return the judgement
     */
    Judgement judge(HostPort target) {
        Policy policy = live.current();
        Decision host = policy.decideHost(target);
        if (!host.allowed()) {
            return new Denied(policy, host, Optional.empty());
        }
        List<InetAddress> addresses = resolve(target);
        if (addresses.isEmpty()) {
            return new Unresolved(policy, host);
        }
        List<InetSocketAddress> vetted = new ArrayList<>(addresses.size());
        Optional<String> openedBy = Optional.empty();
        Decision firstRefusal = null;
        Classification firstRefused = null;
        for (InetAddress address : addresses) {
            Classification c = policy.classify(address);
            Decision d = policy.vet(c);
            if (d.allowed()) {
                if (vetted.isEmpty()) {
                    openedBy = d.rule();
                }
                vetted.add(new InetSocketAddress(address, target.port()));
            } else if (firstRefusal == null) {
                firstRefusal = d;
                firstRefused = c;
            }
        }
        if (vetted.isEmpty()) {
            return new Denied(policy, firstRefusal, Optional.of(firstRefused));
        }
        return new Admitted(policy, host, List.copyOf(vetted), openedBy);
    }

    private List<InetAddress> resolve(HostPort target) {
        Optional<InetAddress> literal = target.literalAddress();
        if (literal.isPresent()) {
            return List.of(literal.get());
        }
        try {
            List<InetAddress> result = resolver.resolve(target.host());
            return result == null ? List.of() : result;
        } catch (UnknownHostException | RuntimeException e) {
            return List.of();
        }
    }
}
