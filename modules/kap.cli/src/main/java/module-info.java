/**
 * The {@code kap} command line.
 *
 * <p>Usage: {@code kap --help}, {@code kap --version}, {@code kap sidecar [--config FILE]},
 * {@code kap mcp add|get|list|remove|approve}, {@code kap remote start|stop|status|pair|devices|revoke},
 * {@code kap run [--config FILE] [--workdir DIR] -- CMD [ARGS...]} (through the {@code namespace} runtime), and the
 * capsule commands {@code kap init}, {@code up}, {@code exec}, {@code down}, {@code list}, {@code status},
 * {@code why-denied} (through the {@code docker} runtime) and {@code kap completion bash|zsh}. Commands appear here
 * only when they work.
 *
 * @uses kap.cli.spi.RuntimeProvider container runtimes (Docker, Linux namespaces)
 */
module kap.cli {
    requires kap.sidecar;
    requires transitive kap.policy;
    requires org.snakeyaml.engine.v2;
    requires kap.mcp;
    requires kap.remote;
    requires info.picocli;
    requires com.fasterxml.jackson.databind;

    exports kap.cli.spi;

    uses kap.cli.spi.RuntimeProvider;

    // picocli reads the command annotations reflectively
    opens kap.cli to info.picocli;
}
