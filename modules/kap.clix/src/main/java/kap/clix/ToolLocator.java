package kap.clix;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import kap.shim.ShimScript;

/**
 * Finds a tool's binary on the sidecar: the first executable {@code <dir>/<tool>} on the tool path that is not a kap
 * shim (where the sidecar and the capsule share a file system, the shim directory may be on the path too).
 */
final class ToolLocator {

    private ToolLocator() {
    }

    static Path find(String tool, List<Path> path) throws ClixException {
        for (Path dir : path) {
            Path candidate = dir.resolve(tool);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate) && !ShimScript.isShim(candidate)) {
                return candidate;
            }
        }
        throw ClixException.notInstalled(tool + " is not installed on the kap sidecar (searched "
                + String.join(":", path.stream().map(Path::toString).toList()) + "); the sidecar image needs it");
    }
}
