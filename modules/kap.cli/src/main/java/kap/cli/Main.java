package kap.cli;

import picocli.CommandLine;

/**
 * The {@code kap} entry point.
 */
public final class Main {

    private Main() {
    }

    /**
     * Runs a command and exits with its exit code.
     *
     * @param args command-line arguments
     */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /**
     * Runs a command and returns its exit code, for tests.
     *
     * @param args command-line arguments
     * @return exit code
     */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new KapCommand())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(new ErrorHandler());
        // `kap exec ls -la`: everything from the command on belongs to the command
        cli.getSubcommands().get("exec").setStopAtPositional(true);
        // `kap run ls -la`: everything from the command on is the command's, even without `--`
        cli.getSubcommands().get("run").setStopAtPositional(true);
        return cli.execute(args);
    }
}
