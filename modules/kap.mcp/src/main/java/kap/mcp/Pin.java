package kap.mcp;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A pinned tool definition: the SHA-256 of its name, description and input schema when it was first seen or last
 * approved, and the hash of a changed definition waiting for a human.
 *
 * @param tool tool name
 * @param sha256 hash of the approved definition (hex)
 * @param pinnedAt when that definition was pinned or approved
 * @param pendingSha256 hash of a changed definition not yet approved; while present, the tool is hidden and its
 *         calls are denied
 * @param changedAt when the change was first seen
 */
public record Pin(String tool, String sha256, Instant pinnedAt, Optional<String> pendingSha256,
                  Optional<Instant> changedAt) {

    /**
     * Validates.
     */
    public Pin {
        Objects.requireNonNull(tool, "tool");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(pinnedAt, "pinnedAt");
        Objects.requireNonNull(pendingSha256, "pendingSha256");
        Objects.requireNonNull(changedAt, "changedAt");
    }

    /**
     * Whether a change waits for approval.
     *
     * @return {@code true} if the tool is held back
     */
    public boolean changed() {
        return pendingSha256.isPresent();
    }
}
