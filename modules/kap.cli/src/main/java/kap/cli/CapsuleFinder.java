package kap.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import kap.cli.spi.Capsule;
import kap.cli.spi.ProjectRuntime;

/**
 * Finds the capsule a command means: by name (capsule id or project name, exact or a unique prefix), else the one of
 * the project directory.
 */
final class CapsuleFinder {

    private CapsuleFinder() {
    }

    static Capsule find(ProjectRuntime runtime, Optional<String> name, Path projectDir) throws IOException {
        if (name.isPresent()) {
            String n = name.get();
            List<Capsule> all = runtime.capsules();
            List<Capsule> exact = all.stream().filter(c -> c.id().equals(n) || c.project().equals(n)).toList();
            List<Capsule> hits = exact.isEmpty()
                    ? all.stream().filter(c -> c.id().startsWith(n) || c.project().startsWith(n)).toList() : exact;
            if (hits.isEmpty()) {
                throw new KapException("no capsule matching '" + n + "'; `kap list` shows them");
            }
            if (hits.size() > 1) {
                throw new KapException("'" + n + "' is ambiguous, matches: "
                        + String.join(", ", hits.stream().map(Capsule::id).toList()));
            }
            return hits.getFirst();
        }
        Path dir = projectDir.toAbsolutePath().normalize();
        try {
            dir = dir.toRealPath();
        } catch (IOException e) {
            // keep the path as given; the lookup below reports it
        }
        return runtime.find(dir).orElseThrow(() -> new KapException(
                "no capsule for " + projectDir.toAbsolutePath().normalize() + "; start it with: kap up"));
    }
}
