package kap.policy;

/**
 * {@code [setup]}: what the post-start script installs in the capsule.
 *
 * @param claudeCode install Claude Code
 * @param codex install Codex
 * @param gh install the GitHub CLI
 */
public record Setup(boolean claudeCode, boolean codex, boolean gh) {

    /** Nothing installed. */
    public static final Setup NONE = new Setup(false, false, false);

    /**
     * Whether anything is installed.
     *
     * @return {@code true} if any option is on
     */
    public boolean any() {
        return claudeCode || codex || gh;
    }
}
