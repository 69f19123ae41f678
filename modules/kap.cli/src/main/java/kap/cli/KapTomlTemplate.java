package kap.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import kap.policy.ConfigLoader;
import kap.policy.ListenDefaults;

/**
 * The kap.toml that {@code kap init} writes: the embedded default policy ({@link ConfigLoader#defaultTemplate()}, one
 * source of truth), with the lines for what was detected or chosen switched on.
 */
final class KapTomlTemplate {

    private static final String SIGNING = "# ssh_signing = true";
    private static final String CLI_MARK = "# [[cli.tools]]";

    private KapTomlTemplate() {
    }

    /**
     * The text.
     *
     * @param choices what to switch on
     * @return kap.toml text, checked to load
     */
    static String render(InitChoices choices) {
        String text = ConfigLoader.defaultTemplate();
        if (choices.sshSigning()) {
            text = text.replace(SIGNING, "ssh_signing = true");
        }
        if (choices.ghOnHost()) {
            text = uncommentCliBlock(text);
        }
        if (choices.setupAny()) {
            StringBuilder setup = new StringBuilder("\n# What the capsule installs when it starts.\n[setup]\n");
            setup.append("claude_code = ").append(choices.claudeCode()).append('\n');
            setup.append("codex = ").append(choices.codex()).append('\n');
            setup.append("gh = ").append(choices.ghInContainer()).append('\n');
            text = text + setup;
        }
        // a template that does not load would be a bug here, not the user's problem: fail loudly
        ConfigLoader.parse(text, Path.of("kap.toml"), ListenDefaults.CONTAINER);
        return text;
    }

    /** Uncomments the {@code [[cli.tools]]} example for gh: the block from its header to the end of the comments. */
    private static String uncommentCliBlock(String text) {
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        int start = lines.indexOf(CLI_MARK);
        if (start < 0) {
            return text;
        }
        lines.add(start, "[cli]");
        for (int i = start + 1; i < lines.size() && lines.get(i).startsWith("# "); i++) {
            lines.set(i, lines.get(i).substring(2));
        }
        return String.join("\n", lines);
    }
}
