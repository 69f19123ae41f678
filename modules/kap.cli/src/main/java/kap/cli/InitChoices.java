package kap.cli;

/**
 * What {@code kap init} detected on the host and what the user chose.
 *
 * @param ghOnHost {@code gh} is on the host's PATH: the gh CLI tool goes into kap.toml, its token stays on the
 *         sidecar
 * @param sshSigning SSH commit signing with a custom program was detected and accepted
 * @param claudeCode install Claude Code in the capsule
 * @param codex install Codex in the capsule
 * @param ghInContainer install the GitHub CLI in the capsule
 */
record InitChoices(boolean ghOnHost, boolean sshSigning, boolean claudeCode, boolean codex, boolean ghInContainer) {

    boolean setupAny() {
        return claudeCode || codex || ghInContainer;
    }
}
