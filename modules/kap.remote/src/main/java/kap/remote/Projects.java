package kap.remote;

import java.util.Optional;

/**
 * Names derived from Claude Code's project directories ({@code ~/.claude/projects/-home-ubuntu-projects-my-app}) and
 * working directories.
 */
final class Projects {

    private Projects() {
    }

    /**
     * The project a session directory stands for: the leading dash dropped, and a {@code Users-<user>-} or
     * {@code home-<user>-} prefix dropped when something follows it.
     */
    static String decode(String dir) {
        String s = dir.startsWith("-") ? dir.substring(1) : dir;
        for (String prefix : new String[] {"Users-", "home-"}) {
            if (s.startsWith(prefix)) {
                String rest = s.substring(prefix.length());
                int dash = rest.indexOf('-');
                if (dash > 0 && dash < rest.length() - 1) {
                    return rest.substring(dash + 1);
                }
            }
        }
        return s;
    }

    /** The project of a session file path: the directory under {@code projects/}, or {@code unknown}. */
    static String ofPath(String path) {
        String[] parts = path.split("/");
        for (int i = 0; i < parts.length - 1; i++) {
            if (parts[i].equals("projects") && i + 1 < parts.length - 1) {
                return decode(parts[i + 1]);
            }
        }
        return "unknown";
    }

    /** The worktree name in a working directory under {@code /.worktrees/}. */
    static Optional<String> worktree(String cwd) {
        int at = cwd.indexOf("/.worktrees/");
        if (at < 0) {
            return Optional.empty();
        }
        String rest = cwd.substring(at + "/.worktrees/".length());
        int slash = rest.indexOf('/');
        String name = slash < 0 ? rest : rest.substring(0, slash);
        return name.isEmpty() ? Optional.empty() : Optional.of(name);
    }
}
