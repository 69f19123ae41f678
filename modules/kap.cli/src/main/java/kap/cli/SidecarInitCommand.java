package kap.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kap sidecar-init}: the devcontainer's {@code initializeCommand}, run on the host before compose starts. It
 * builds the sidecar image if it is missing, rewrites {@code docker-compose.kap.yml} (subnets, paths) and refreshes
 * the sidecar's {@code .env}.
 */
@Command(name = "sidecar-init", hidden = true, mixinStandardHelpOptions = true,
        description = "Prepare the compose overlay and the sidecar image (the devcontainer's initializeCommand).")
final class SidecarInitCommand implements Callable<Integer> {

    @Option(names = {"-p", "--project-dir"}, paramLabel = "DIR", defaultValue = ".",
            description = "the project (default: the current directory)")
    Path projectDir;

    @Override
    public Integer call() throws IOException {
        Path dir = projectDir.toRealPath();
        ProjectReader.loadConfig(dir);
        Devcontainer d = Devcontainer.read(dir.resolve(".devcontainer").resolve("devcontainer.json"));
        ProjectFiles files = new ProjectFiles(dir, d.name().orElse(dir.getFileName().toString()));
        files.writeOverlay(System.err);
        System.err.println("[sidecar-init] wrote .devcontainer/" + Devcontainer.OVERLAY);
        int n = EnvFile.refresh(files.envFile(), new HostTools(System.getenv()));
        if (n > 0) {
            System.err.println("[sidecar-init] refreshed " + n + " value(s) in " + files.envFile());
        }
        return 0;
    }
}
