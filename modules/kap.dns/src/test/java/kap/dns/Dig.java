package kap.dns;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the real {@code dig} (dnsutils) against a forwarder on loopback and reads its output.
 */
final class Dig {

    private static final Pattern STATUS = Pattern.compile("status: ([A-Z]+)");
    private static final Pattern FLAGS = Pattern.compile(";; flags: ([a-z ]*);");

    /**
     * One answer as dig printed it.
     *
     * @param status the RCODE name, or {@code null} if no reply came
     * @param flags header flags, such as {@code qr rd ra}
     * @param answers answer-section lines
     * @param authority authority-section lines
     * @param text dig's whole output
     * @param millis how long dig took
     */
    record Result(String status, String flags, List<String> answers, List<String> authority, String text,
                  long millis) {
        boolean hasFlag(String flag) {
            return flags != null && List.of(flags.split(" ")).contains(flag);
        }
    }

    private Dig() {
    }

    /**
     * {@code dig @127.0.0.1 -p port name type +tries=1 +time=2 [options]}.
     *
     * @param port forwarder port
     * @param name name to ask
     * @param type type to ask
     * @param options more dig options, such as {@code +tcp}
     * @return the result
     */
    static Result query(int port, String name, String type, String... options) throws IOException,
            InterruptedException {
        List<String> command = new ArrayList<>(List.of("dig", "@127.0.0.1", "-p", String.valueOf(port), name, type,
                "+tries=1", "+time=2"));
        command.addAll(List.of(options));
        long start = System.nanoTime();
        String out = run(command);
        return parse(out, (System.nanoTime() - start) / 1_000_000);
    }

    /**
     * Runs {@code dig -f batch} and returns one result per query, in order.
     *
     * @param port forwarder port
     * @param batch a file with one query per line ({@code name A})
     * @return results
     */
    static List<Result> batch(int port, Path batch) throws IOException, InterruptedException {
        String out = run(List.of("dig", "@127.0.0.1", "-p", String.valueOf(port), "+tries=1", "+time=2", "-f",
                batch.toString()));
        List<Result> results = new ArrayList<>();
        for (String part : out.split("(?m)^; <<>> DiG")) {
            if (part.contains("status:") || part.contains("timed out")) {
                results.add(parse(part, 0));
            }
        }
        return results;
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("dig did not finish");
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    static Result parse(String out, long millis) {
        Matcher status = STATUS.matcher(out);
        Matcher flags = FLAGS.matcher(out);
        return new Result(status.find() ? status.group(1) : null, flags.find() ? flags.group(1).trim() : null,
                section(out, ";; ANSWER SECTION:"), section(out, ";; AUTHORITY SECTION:"), out, millis);
    }

    private static List<String> section(String out, String header) {
        List<String> lines = new ArrayList<>();
        int at = out.indexOf(header);
        if (at < 0) {
            return lines;
        }
        for (String line : out.substring(at + header.length()).split("\n")) {
            if (line.isBlank()) {
                if (!lines.isEmpty()) {
                    break;
                }
                continue;
            }
            lines.add(line.trim());
        }
        return lines;
    }
}
