package kap.cli;

import picocli.CommandLine.Command;

import kap.sidecar.SidecarCommand;

/**
 * {@code kap}: the root command.
 */
@Command(name = "kap",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = "A secure capsule for AI coding agents: only the domains, MCP tools and CLI commands you allow.",
        subcommands = {InitCommand.class, UpCommand.class, DownCommand.class, ExecCommand.class, ListCommand.class,
                StatusCommand.class, WhyDeniedCommand.class, RunCommand.class, McpCommand.class, RemoteCommand.class,
                SidecarCommand.class, SidecarInitCommand.class, CompletionCommand.class},
        footer = {"", "Docs: README.md and docs/ in the kap repository."})
final class KapCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
