/**
 * The {@code kap} command line.
 *
 * <p>Usage: {@code kap --help}, {@code kap --version}, {@code kap sidecar [--config FILE]}. Commands appear here only
 * when they work.
 */
module kap.cli {
    requires kap.sidecar;
    requires info.picocli;

    // picocli reads the command annotations reflectively
    opens kap.cli to info.picocli;
}
