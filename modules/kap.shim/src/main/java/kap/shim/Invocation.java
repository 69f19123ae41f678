package kap.shim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How a shim was called: {@code tty=<flags> <$0> <args...>}, as the shim script passes them.
 *
 * @param flags terminal flags for the head
 * @param self the shim's own path as the shell saw it ({@code $0})
 * @param tool the tool's name: the file name of {@code self}
 * @param args the arguments for the tool
 */
record Invocation(int flags, String self, String tool, List<String> args) {

    private static final String TTY_PREFIX = "tty=";
    private static final Path CMDLINE = Path.of("/proc/self/cmdline");

    /**
     * Parses the shim's argv.
     *
     * @param argv arguments of {@code main}
     * @return the invocation
     * @throws IllegalArgumentException if the shim was not called by a shim script
     */
    static Invocation parse(String[] argv) {
        if (argv.length < 2 || !argv[0].startsWith(TTY_PREFIX)) {
            throw new IllegalArgumentException("the kap shim runs from a tool shim written by the kap sidecar "
                    + "(usage: kap.shim.Shim tty=[ioe] <tool-path> [args...])");
        }
        int flags = 0;
        String t = argv[0].substring(TTY_PREFIX.length());
        if (t.indexOf('i') >= 0) {
            flags |= Wire.FLAG_STDIN_TTY;
        }
        if (t.indexOf('o') >= 0) {
            flags |= Wire.FLAG_STDOUT_TTY;
        }
        if (t.indexOf('e') >= 0) {
            flags |= Wire.FLAG_STDERR_TTY;
        }
        String[] exact = exactArgs(argv);
        String self = exact[1];
        int slash = self.lastIndexOf('/');
        String tool = slash >= 0 ? self.substring(slash + 1) : self;
        return new Invocation(flags, self, tool, Arrays.asList(exact).subList(2, exact.length));
    }

    /**
     * The JVM decodes argv with the locale's charset; in a C locale every non-ASCII byte becomes U+FFFD and the
     * argument is lost. Only then, read the raw bytes from {@code /proc/self/cmdline} (ours are its last entries)
     * and decode them as UTF-8.
     */
    private static String[] exactArgs(String[] argv) {
        boolean mangled = false;
        for (String a : argv) {
            mangled |= a.indexOf('\uFFFD') >= 0;
        }
        if (!mangled) {
            return argv;
        }
        try {
            byte[] raw = Files.readAllBytes(CMDLINE);
            List<String> entries = new ArrayList<>();
            int start = 0;
            for (int i = 0; i < raw.length; i++) {
                if (raw[i] == 0) {
                    entries.add(new String(raw, start, i - start, StandardCharsets.UTF_8));
                    start = i + 1;
                }
            }
            if (entries.size() < argv.length) {
                return argv;
            }
            return entries.subList(entries.size() - argv.length, entries.size()).toArray(new String[0]);
        } catch (IOException | RuntimeException e) {
            return argv;
        }
    }
}
