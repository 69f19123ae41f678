package kap.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import kap.cli.spi.Capsule;
import kap.cli.spi.ExecRequest;
import kap.cli.spi.ProjectRuntime;

/**
 * {@code kap exec [CMD...]}: a shell in the app container (with a terminal when there is one), or a command whose exit
 * code becomes kap's.
 */
@Command(name = "exec", mixinStandardHelpOptions = true,
        description = {"Run a command in the capsule's app container (default: an interactive shell).",
                "The command's exit code is kap's exit code."})
final class ExecCommand implements Callable<Integer> {

    @Option(names = {"-p", "--project-dir"}, paramLabel = "DIR", defaultValue = ".",
            description = "the project (default: the current directory)")
    Path projectDir;

    @Option(names = {"-c", "--capsule"}, paramLabel = "CAPSULE", description = "capsule id or project name")
    String capsule;

    @Option(names = {"-t", "--tty"}, description = "allocate a terminal (default: when no command is given and"
            + " this is a terminal)")
    Boolean tty;

    @Option(names = {"-T", "--no-tty"}, description = "never allocate a terminal")
    boolean noTty;

    @Option(names = {"-u", "--user"}, paramLabel = "USER", description = "run as this user (default: remoteUser)")
    String user;

    @Option(names = {"-w", "--workdir"}, paramLabel = "DIR", description = "working directory in the container"
            + " (default: the workspace folder)")
    String workdir;

    @Parameters(arity = "0..*", paramLabel = "CMD", description = "command and arguments")
    List<String> command = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        ProjectRuntime runtime = Runtimes.project(Runtimes.DEFAULT, System.err);
        Capsule c = CapsuleFinder.find(runtime, Optional.ofNullable(capsule), projectDir);
        boolean terminal = System.console() != null && System.console().isTerminal();
        boolean useTty = !noTty && (tty != null ? tty : command.isEmpty() && terminal);
        return runtime.exec(c, new ExecRequest(command, useTty, true, Optional.ofNullable(user),
                Optional.ofNullable(workdir)));
    }
}
