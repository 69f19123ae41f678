/**
 * The {@code kap} command line.
 *
 * <p>Usage: {@code kap --help}, {@code kap --version}, {@code kap sidecar [--config FILE]},
 * {@code kap mcp add|get|list|remove|approve}. Commands appear here only when they work.
 */
module kap.cli {
    requires kap.sidecar;
    requires kap.mcp;
    requires info.picocli;

    // picocli reads the command annotations reflectively
    opens kap.cli to info.picocli;
}
