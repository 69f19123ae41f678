package kap.runtime.namespace;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a capsule might leave behind, found by a marker string (a sandbox's path, which every process of the capsule
 * carries on its command line, and every socket of it in its path).
 */
final class Leftovers {

    private Leftovers() {
    }

    /** Processes whose command line contains the marker, as "pid: command line". */
    static List<String> processes(String marker) {
        List<String> found = new ArrayList<>();
        long self = ProcessHandle.current().pid();
        try (DirectoryStream<Path> all = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path p : all) {
                String cmdline;
                try {
                    cmdline = ProcFiles.read(p.resolve("cmdline")).replace('\0', ' ');
                } catch (IOException e) {
                    continue;
                }
                if (cmdline.contains(marker) && Long.parseLong(p.getFileName().toString()) != self
                        && !zombie(p)) {
                    found.add(p.getFileName() + ": " + cmdline);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return found;
    }

    /** The pid of the process whose name (the first word of its command line) is this, or -1. */
    static long named(String name) {
        return processes(name).stream().filter(p -> p.substring(p.indexOf(':') + 2).startsWith(name + " "))
                .mapToLong(p -> Long.parseLong(p.substring(0, p.indexOf(':')))).findFirst().orElse(-1);
    }

    /** Unix sockets bound to a path that contains the marker, from {@code /proc/net/unix}. */
    static List<String> unixSockets(String marker) throws IOException {
        return ProcFiles.read(Path.of("/proc/net/unix")).lines().filter(l -> l.contains(marker)).toList();
    }

    /** Files left in the capsule's runtime directories. */
    static List<Path> runtimeFiles(Sandbox sandbox) throws IOException {
        Path run = sandbox.kapHome().resolve("run");
        if (!Files.isDirectory(run)) {
            return List.of();
        }
        try (var files = Files.walk(run)) {
            return files.filter(f -> !f.equals(run)).toList();
        }
    }

    private static boolean zombie(Path process) {
        try {
            String stat = new String(Files.newInputStream(process.resolve("stat")).readAllBytes(),
                    StandardCharsets.UTF_8);
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException | RuntimeException e) {
            return true;
        }
    }
}
