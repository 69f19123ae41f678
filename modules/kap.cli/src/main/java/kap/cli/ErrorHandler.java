package kap.cli;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

import kap.policy.ConfigException;

/**
 * Turns failures into one clear message on stderr and an exit code, never a stack trace.
 */
final class ErrorHandler implements IExecutionExceptionHandler {

    /** Exit code for an invalid configuration. */
    static final int CONFIG_ERROR = kap.sidecar.SidecarCommand.CONFIG_ERROR;
    /** Exit code for other failures. */
    static final int FAILURE = 1;

    @Override
    public int handleExecutionException(Exception e, CommandLine commandLine, ParseResult parseResult) {
        if (e instanceof ConfigException config) {
            System.err.println("kap: the configuration cannot be applied:");
            System.err.println(config.getMessage());
            return CONFIG_ERROR;
        }
        if (e instanceof KapException || e instanceof JsoncException) {
            System.err.println("kap: " + e.getMessage());
            return FAILURE;
        }
        System.err.println("kap: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
        return FAILURE;
    }
}
