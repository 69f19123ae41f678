package kap.sidecar;

import picocli.CommandLine;

import kap.policy.ConfigException;

/**
 * Entry point of the sidecar runtime image: {@code kap-sidecar [--config FILE] [--profile container]}. It runs the
 * same command as {@code kap sidecar}, without the rest of the CLI, which the sidecar image does not carry.
 */
public final class Main {

    private Main() {
    }

    /**
     * Runs the sidecar and exits with its exit code.
     *
     * @param args command-line arguments
     */
    public static void main(String[] args) {
        System.exit(new CommandLine(new SidecarCommand()).setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    if (e instanceof ConfigException config) {
                        System.err.println("kap: the configuration cannot be applied:");
                        System.err.println(config.getMessage());
                        return SidecarCommand.CONFIG_ERROR;
                    }
                    System.err.println("kap: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
                    return 1;
                }).execute(args));
    }
}
