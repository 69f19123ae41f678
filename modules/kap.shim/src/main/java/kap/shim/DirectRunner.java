package kap.shim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Direct mode: the sidecar handed over the tool's credentials, and the real binary runs here in the capsule with
 * them. The real binary is the first {@code <tool>} on {@code PATH} that is not a kap shim.
 */
final class DirectRunner {

    private final Invocation invocation;
    private final Map<String, String> env;
    private final java.io.OutputStream err;
    private volatile Process process;

    DirectRunner(Invocation invocation, Map<String, String> env, java.io.OutputStream err) {
        this.invocation = invocation;
        this.env = env;
        this.err = err;
    }

    int run(DirectGrant grant) {
        String tool = invocation.tool();
        Path real = find(tool, env.get("PATH"));
        if (real == null) {
            Shim.say(err, "kap: " + tool + " is in direct mode, which runs the real " + tool + " in the capsule, but"
                    + " there is no " + tool + " on PATH other than the kap shim; install it in the capsule image");
            return Wire.EXIT_NOT_FOUND;
        }
        List<String> command = new ArrayList<>();
        command.add(real.toString());
        command.addAll(invocation.args());
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        builder.environment().putAll(grant.env());
        try {
            process = builder.start();
            return process.waitFor();
        } catch (IOException e) {
            Shim.say(err, "kap: cannot run " + real + ": " + e.getMessage());
            return Wire.EXIT_NOT_FOUND;
        } catch (InterruptedException e) {
            stop();
            return Wire.EXIT_KAP_ERROR;
        }
    }

    /** Stops the real tool when the shim itself is stopped. */
    void stop() {
        Process p = process;
        if (p != null) {
            p.destroy();
        }
    }

    /**
     * The first executable {@code dir/tool} on the path that is not a kap shim.
     *
     * @param tool tool name
     * @param path the PATH value
     * @return the binary, or {@code null}
     */
    static Path find(String tool, String path) {
        if (path == null) {
            return null;
        }
        for (String dir : path.split(":")) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, tool);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate) && !ShimScript.isShim(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
