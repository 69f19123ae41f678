package kap.policy;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Remembers which one-time grants have been used, across policy snapshots, so a grant given "once" opens exactly
 * one request even when two arrive together.
 */
public final class GrantLedger {

    private final Set<String> used = ConcurrentHashMap.newKeySet();
    private final Consumer<Grant> onUse;

    /**
     * Creates a ledger.
     *
     * @param onUse told of every grant used (one-time or not), on the deciding thread; must not block
     */
    public GrantLedger(Consumer<Grant> onUse) {
        this.onUse = onUse;
    }

    /**
     * A ledger that only remembers.
     *
     * @return ledger
     */
    public static GrantLedger inMemory() {
        return new GrantLedger(g -> { });
    }

    /**
     * Takes the grant for one request.
     *
     * @param grant the grant
     * @return {@code false} if it is a one-time grant that was already used
     */
    public boolean use(Grant grant) {
        if (grant.once() && !used.add(grant.id())) {
            return false;
        }
        onUse.accept(grant);
        return true;
    }

    /**
     * Whether a one-time grant has been used.
     *
     * @param grant the grant
     * @return {@code true} if used
     */
    public boolean isUsed(Grant grant) {
        return grant.once() && used.contains(grant.id());
    }

    /**
     * Marks grants used, for example from a persisted record after a restart.
     *
     * @param ids grant ids
     */
    public void markUsed(Iterable<String> ids) {
        ids.forEach(used::add);
    }
}
