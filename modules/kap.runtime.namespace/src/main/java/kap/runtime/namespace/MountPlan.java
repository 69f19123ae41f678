package kap.runtime.namespace;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the bridge mounts in the capsule's mount namespace.
 *
 * @param masks directories hidden behind an empty private tmpfs: kap's home (the audit log, grants, tokens, the
 *         capsule registry) and {@code $XDG_RUNTIME_DIR} (the session's sockets and keyrings)
 * @param readOnly files bound read-only onto themselves: the configuration the sidecar watches, so that the command
 *         cannot rewrite its own policy
 * @param runtimeDir the capsule's runtime directory, kept visible (bound back if a mask covers it)
 * @param resolvSource the generated {@code resolv.conf} ({@code nameserver 127.0.0.1})
 * @param resolvTarget where {@code /etc/resolv.conf} really is (symbolic links followed), or empty if it does not
 *         exist, in which case resolvers use 127.0.0.1 anyway
 */
record MountPlan(List<Path> masks, List<Path> readOnly, Path runtimeDir, Path resolvSource,
                 Optional<Path> resolvTarget) {

    MountPlan {
        masks = List.copyOf(masks);
        readOnly = List.copyOf(readOnly);
        Objects.requireNonNull(runtimeDir, "runtimeDir");
        Objects.requireNonNull(resolvSource, "resolvSource");
        Objects.requireNonNull(resolvTarget, "resolvTarget");
    }
}
