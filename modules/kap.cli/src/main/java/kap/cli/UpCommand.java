package kap.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import kap.cli.spi.Capsule;
import kap.cli.spi.ProjectRuntime;

/**
 * {@code kap up}: brings up the project's capsule through the docker runtime, or hands over to the devcontainer CLI
 * when the compose set-up has more than kap models by itself.
 */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = {"Start the capsule: networks, the sidecar (health-checked), the app.",
                "Reuses what exists; --reset recreates it. Logs, auth and grants are kept."})
final class UpCommand implements Callable<Integer> {

    @Option(names = {"-p", "--project-dir"}, paramLabel = "DIR", defaultValue = ".",
            description = "the project (default: the current directory)")
    Path projectDir;

    @Option(names = "--reset", description = "remove the capsule's containers and networks first")
    boolean reset;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintStream err = System.err;
        ProjectReader.Result result = new ProjectReader(System.getenv()).read(projectDir);
        List<String> missing = result.devcontainer().missingKapSettings();
        if (!missing.isEmpty()) {
            err.println("kap: devcontainer.json lacks kap settings (VS Code and `devcontainer up` need them):");
            missing.forEach(m -> err.println("  - " + m));
            err.println("  Run `kap init --force` to fix, or edit devcontainer.json.");
        }
        if (result.handover().isPresent()) {
            return handover(result.handover().get());
        }
        var spec = result.spec().orElseThrow();
        ProjectFiles files = new ProjectFiles(spec.projectDir(), spec.name());
        int refreshed = EnvFile.refresh(files.envFile(), new HostTools(System.getenv()));
        if (refreshed > 0) {
            err.println("[env] refreshed " + refreshed + " value(s) in " + files.envFile());
        }
        ProjectRuntime runtime = Runtimes.project(Runtimes.DEFAULT, err);
        Capsule capsule = runtime.up(spec, reset);
        try {
            files.writeOverlay(err);
        } catch (IOException | RuntimeException e) {
            err.println("kap: warning: could not refresh " + Devcontainer.OVERLAY + ": " + e.getMessage());
        }
        System.out.println("capsule " + capsule.id() + " is up");
        capsule.details().forEach((k, v) -> System.out.println("  " + k + ": " + v));
        capsule.admin().ifPresent(a -> System.out.println("  admin: " + a));
        System.out.println("Next: kap exec   (kap status checks the isolation)");
        return 0;
    }

    private int handover(String why) throws IOException, InterruptedException {
        var devcontainer = new HostTools(System.getenv()).onPath("devcontainer");
        if (devcontainer.isEmpty()) {
            throw new KapException("kap cannot bring this project up by itself (" + why + ") and the devcontainer "
                    + "CLI is not installed: npm install -g @devcontainers/cli");
        }
        System.err.println("kap: " + why + "; handing over to the devcontainer CLI (" + devcontainer.get() + ")");
        List<String> command = new ArrayList<>(List.of(devcontainer.get().toString(), "up", "--workspace-folder",
                projectDir.toRealPath().toString()));
        if (reset) {
            command.add("--remove-existing-container");
        }
        return new ProcessBuilder(command).inheritIO().start().waitFor();
    }
}
