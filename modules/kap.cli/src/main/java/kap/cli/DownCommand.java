package kap.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import kap.cli.spi.Capsule;
import kap.cli.spi.ProjectRuntime;

/**
 * {@code kap down}: removes the capsule's containers and networks; logs, auth, pins and grants stay.
 */
@Command(name = "down", mixinStandardHelpOptions = true,
        description = {"Stop and remove the capsule's containers and networks.",
                "Persistent data stays: the audit log, auth, pins and grants under ~/.kap."})
final class DownCommand implements Callable<Integer> {

    @Parameters(arity = "0..1", paramLabel = "CAPSULE", description = "capsule id or project name (default: the"
            + " project in --project-dir)")
    String name;

    @Option(names = {"-p", "--project-dir"}, paramLabel = "DIR", defaultValue = ".",
            description = "the project (default: the current directory)")
    Path projectDir;

    @Override
    public Integer call() throws IOException {
        ProjectRuntime runtime = Runtimes.project(Runtimes.DEFAULT, System.err);
        Capsule capsule = CapsuleFinder.find(runtime, Optional.ofNullable(name), projectDir);
        runtime.down(capsule);
        System.out.println("capsule " + capsule.id() + " removed (logs and auth kept under ~/.kap)");
        return 0;
    }
}
