package kap.shim;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The shim script the sidecar writes for every configured tool. It needs only {@code /bin/sh}: it notes which of
 * the standard streams are terminals and execs the shim on the given Java runtime, passing its own path so that the
 * shim knows which tool it stands for. Every tool's script is the same text; only the file name differs.
 */
public final class ShimScript {

    /** Every shim script carries this word in its first lines, and no real binary does. */
    public static final String MARKER = "kap-shim";

    /** The main class the script runs. */
    public static final String MAIN = "kap.shim/kap.shim.Shim";

    /** JVM options that start a short-lived client fastest without a trained cache. */
    public static final List<String> DEFAULT_OPTIONS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
            "-XX:-UsePerfData", "-Xshare:auto");

    private static final Pattern SAFE_OPTION = Pattern.compile("[A-Za-z0-9:=+_./,@-]+");
    private static final int SNIFF_BYTES = 512;

    private ShimScript() {
    }

    /**
     * The script text.
     *
     * @param java the {@code java} launcher as the capsule sees it, such as {@code /opt/kap/runtime/bin/java}
     * @param options JVM options; letters, digits and {@code :=+_./,@-} only
     * @param modulePath a module path holding {@code kap.shim}, or {@code null} when the runtime links it in
     * @return the script
     * @throws IllegalArgumentException if an option has other characters
     */
    public static String render(String java, List<String> options, String modulePath) {
        StringBuilder command = new StringBuilder("exec ").append(quote(java));
        for (String option : options) {
            if (!SAFE_OPTION.matcher(option).matches()) {
                throw new IllegalArgumentException("JVM option '" + option + "' has characters a shim script does not"
                        + " allow");
            }
            command.append(' ').append(option);
        }
        if (modulePath != null && !modulePath.isEmpty()) {
            command.append(" -p ").append(quote(modulePath));
        }
        command.append(" -m ").append(MAIN).append(" \"tty=$t\" \"$0\" \"$@\"");
        return "#!/bin/sh\n"
                + "# " + MARKER + " " + Wire.VERSION + ": runs this tool on the kap sidecar through the CLI proxy"
                + " (KAP_CLIX).\n"
                + "# Written by the kap sidecar from kap.toml; edits are overwritten.\n"
                + "t=; [ -t 0 ] && t=i; [ -t 1 ] && t=\"${t}o\"; [ -t 2 ] && t=\"${t}e\"\n"
                + command + "\n";
    }

    /**
     * Whether a file is a kap shim script: its first bytes carry {@link #MARKER}. An unreadable file counts as a
     * shim, so nothing mistakes it for the real tool.
     *
     * @param file the file
     * @return {@code true} for a shim
     */
    public static boolean isShim(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readNBytes(SNIFF_BYTES), StandardCharsets.ISO_8859_1).contains(MARKER);
        } catch (IOException e) {
            return true;
        }
    }

    /** Single-quotes a word for sh. */
    static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
