package kap.mcp;

import java.util.Objects;
import java.util.Optional;

/**
 * Something that happened to a pin, for the audit log.
 *
 * @param server server name
 * @param tool tool name
 * @param kind what happened
 * @param sha256 the hash now approved (for {@link Kind#CHANGED}: the approved one that no longer matches)
 * @param newSha256 for {@link Kind#CHANGED}, the hash of the changed definition
 */
public record PinEvent(String server, String tool, Kind kind, String sha256, Optional<String> newSha256) {

    /**
     * Validates.
     */
    public PinEvent {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(tool, "tool");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(newSha256, "newSha256");
    }

    /** What happened to a pin. */
    public enum Kind {
        /** First sight: the definition was pinned (trust on first use). */
        PINNED,
        /** The definition differs from the approved one: the tool is hidden and denied until approved. */
        CHANGED,
        /** A human approved the changed definition. */
        APPROVED
    }
}
