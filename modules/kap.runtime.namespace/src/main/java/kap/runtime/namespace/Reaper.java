package kap.runtime.namespace;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.LongPredicate;

/**
 * The bridge is PID 1 of the capsule, so every orphan (a daemon the command left behind) becomes its child, and its
 * exit status must be collected or the process stays a zombie until the capsule ends. The JVM waits for the processes
 * it started (the command, the host's {@code Exec}s), so this waits, once a second, for each other zombie child by its
 * PID: never {@code waitpid(-1)}, which could take their status from the JVM.
 */
final class Reaper {

    private static final Duration INTERVAL = Duration.ofSeconds(1);

    private Reaper() {
    }

    /**
     * Starts reaping.
     *
     * @param spared the PIDs the JVM waits for itself
     */
    static void start(LongPredicate spared) {
        Thread.ofVirtual().name("reaper").start(() -> {
            while (true) {
                try {
                    Thread.sleep(INTERVAL);
                } catch (InterruptedException e) {
                    return;
                }
                reapOnce(spared);
            }
        });
    }

    static void reapOnce(LongPredicate spared) {
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path process : processes) {
                int pid = Integer.parseInt(process.getFileName().toString());
                if (pid != ProcessHandle.current().pid() && !spared.test(pid) && isZombieChild(process)) {
                    try {
                        Libc.reap(pid);
                    } catch (NativeException e) {
                        // reaped meanwhile, or not ours after all
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // /proc unreadable for a moment: try again next time
        }
    }

    private static boolean isZombieChild(Path process) {
        try {
            String stat = ProcFiles.read(process.resolve("stat"));
            // "pid (comm) S ppid ...": comm may hold spaces and parentheses, so split after the last ')'
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return "Z".equals(fields[0]) && Long.parseLong(fields[1]) == ProcessHandle.current().pid();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
