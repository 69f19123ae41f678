package kap.runtime.namespace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Starts the capsule: {@code setpriv ... unshare ... java ... BridgeMain <control-socket>}, with this JVM's runtime
 * and module path, standard input, output and error inherited.
 *
 * <p>Must be called from a thread that lives as long as the capsule: {@code --pdeathsig} fires when the thread that
 * started the process ends, not the process.
 */
final class Launch {

    /** The bridge's entry point. */
    static final String BRIDGE_MAIN = "kap.runtime.namespace/kap.runtime.namespace.BridgeMain";

    /**
     * The bridge's JVM: {@code -Xrs} so the JVM installs no handler for the terminal's signals (PID 1 then ignores
     * them), no perf-data file in {@code /tmp}, no attach socket, a small heap, and native access for its libc calls.
     */
    static final List<String> BRIDGE_OPTIONS = List.of("-Xrs", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-XX:-UsePerfData", "-XX:+DisableAttachMechanism", "-Xms8m", "-Xmx64m",
            "--enable-native-access=kap.runtime.namespace");
    /** The bridge's AOT cache in a runtime image, next to the CLI's; the image build trains it with a real run. */
    static final String BRIDGE_CACHE = "kap-bridge.aot";
    /** Set by the image build: the bridge records its AOT cache here (see {@code jlink/train.sh}). */
    static final String TRAIN_VARIABLE = "KAP_BRIDGE_AOT_OUTPUT";

    private Launch() {
    }

    /**
     * Starts the capsule's process.
     *
     * @param unshare how to make namespaces here
     * @param control the control socket
     * @param workdir the working directory
     * @param user the user's environment (only the locale is taken from it)
     * @return the process ({@code setpriv}, which becomes {@code unshare})
     * @throws IOException if it cannot be started
     */
    static Process start(Unshare unshare, Path control, Path workdir, Map<String, String> user) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(unshare.command(bridge(control,
                Optional.ofNullable(user.get(TRAIN_VARIABLE)).filter(s -> !s.isBlank())))).inheritIO()
                .directory(workdir.toFile());
        builder.environment().clear();
        builder.environment().putAll(environment(user));
        return builder.start();
    }

    /**
     * The bridge's command line. In a runtime image with a trained cache the JVM maps it (its log is off: a cache it
     * cannot use must not print on the command's terminal); without one, {@code --limit-modules} keeps service binding
     * from resolving every module on the path, which the bridge never uses (and which an AOT cache forbids).
     *
     * @param control the control socket
     * @param train where to record an AOT cache, for the image build
     * @return the command line
     */
    static List<String> bridge(Path control, Optional<String> train) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(BRIDGE_OPTIONS);
        Path cache = Path.of(System.getProperty("java.home"), "lib", BRIDGE_CACHE);
        if (train.isPresent()) {
            command.addAll(List.of("-XX:AOTCacheOutput=" + train.get(), "-Xlog:aot=error", "-Xlog:cds=error"));
        } else if (Files.isRegularFile(cache)) {
            command.addAll(List.of("-XX:AOTCache=" + cache, "-Xlog:aot=off", "-Xlog:cds=off"));
        } else {
            command.addAll(List.of("--limit-modules", "kap.runtime.namespace"));
        }
        String modulePath = System.getProperty("jdk.module.path", "");
        if (!modulePath.isEmpty()) {
            command.addAll(List.of("--module-path", modulePath));
        }
        command.addAll(List.of("-m", BRIDGE_MAIN, control.toString()));
        return command;
    }

    /**
     * The bridge's environment: no {@code JAVA_TOOL_OPTIONS} or other settings of the user's, only a UTF-8 locale,
     * which the JVM needs to pass non-ASCII arguments and paths to the command intact.
     */
    static Map<String, String> environment(Map<String, String> user) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", "/usr/bin:/bin");
        for (String name : List.of("LC_ALL", "LC_CTYPE", "LANG")) {
            String value = user.get(name);
            if (value != null && !value.isEmpty()) {
                String lower = value.toLowerCase(Locale.ROOT);
                env.put("LC_ALL", lower.contains("utf-8") || lower.contains("utf8") ? value : "C.UTF-8");
                return env;
            }
        }
        env.put("LC_ALL", "C.UTF-8");
        return env;
    }
}
