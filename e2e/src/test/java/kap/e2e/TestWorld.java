package kap.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What the capsule reaches in these tests instead of the internet: a bridge network the test creates in the benchmark
 * range 198.18.0.0/15 (never routed), holding an HTTP server (busybox httpd) and a DNS server (dnsmasq) that answers
 * the test names with the HTTP server's address. All images are built here from files on this machine, FROM scratch;
 * nothing is pulled. Everything is labelled and removed by {@link #close()}.
 */
final class TestWorld implements AutoCloseable {

    static final String LABEL = "dev.kap.e2e";
    static final String ALLOWED = "allowed.kap.test";
    static final String DENIED = "denied.kap.test";
    static final String LATER = "later.kap.test";
    static final String PAGE = "hello from the test upstream";

    final String run = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0xffff));
    final String appImage = "kaptest/app:" + run;
    final String upstreamImage = "kaptest/upstream:" + run;
    final String dnsImage = "kaptest/dnsmasq:" + run;
    final String network = "kaptest-world-" + run;
    String prefix;
    private final List<String> containers = new ArrayList<>();
    private final Path work;

    TestWorld(Path work) {
        this.work = work;
    }

    String upstreamIp() {
        return prefix + ".10";
    }

    String dnsIp() {
        return prefix + ".53";
    }

    void start() throws IOException {
        buildBusyboxImage(appImage, null);
        buildBusyboxImage(upstreamImage, "[\"/bin/busybox\", \"httpd\", \"-f\", \"-p\", \"80\", \"-h\", \"/www\"]");
        buildDnsmasqImage();
        createNetwork();
        containers.add(Proc.dockerOk("run", "-d", "--label", LABEL + "=" + run, "--name", "kaptest-upstream-" + run,
                "--network", network, "--ip", upstreamIp(), upstreamImage));
        List<String> dns = new ArrayList<>(List.of("run", "-d", "--label", LABEL + "=" + run, "--name",
                "kaptest-dns-" + run, "--network", network, "--ip", dnsIp(), dnsImage, "--keep-in-foreground",
                "--no-resolv", "--no-hosts", "--user=root", "--group=root", "--pid-file=", "--log-queries",
                "--log-facility=-"));
        for (String name : List.of(ALLOWED, DENIED, LATER)) {
            dns.add("--address=/" + name + "/" + upstreamIp());
        }
        containers.add(Proc.dockerOk(dns.toArray(String[]::new)));
    }

    private void createNetwork() {
        for (int i = 0; i < 20; i++) {
            String candidate = "198.18." + ThreadLocalRandom.current().nextInt(1, 255);
            Proc.Result r = Proc.docker("network", "create", "--label", LABEL + "=" + run, "--subnet",
                    candidate + ".0/24", network);
            if (r.code() == 0) {
                prefix = candidate;
                return;
            }
        }
        throw new IllegalStateException("no free /24 in 198.18.0.0/16 for the test network");
    }

    private void buildBusyboxImage(String tag, String entrypoint) throws IOException {
        Path ctx = Files.createDirectories(work.resolve("ctx-" + tag.replaceAll("[^a-z0-9]", "-")));
        Files.createDirectories(ctx.resolve("bin"));
        Files.copy(Path.of("/bin/busybox"), ctx.resolve("bin/busybox"), StandardCopyOption.REPLACE_EXISTING);
        Files.createDirectories(ctx.resolve("www"));
        Files.writeString(ctx.resolve("www/index.html"), PAGE + "\n");
        Files.createDirectories(ctx.resolve("etc"));
        Files.writeString(ctx.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n"
                + "dev:x:1000:1000:dev:/home/dev:/bin/sh\n");
        Files.writeString(ctx.resolve("etc/group"), "root:x:0:\ndev:x:1000:\n");
        String dockerfile = "FROM scratch\nCOPY bin/busybox /bin/busybox\n"
                + "RUN [\"/bin/busybox\", \"--install\", \"-s\", \"/bin\"]\n"
                + "COPY www /www\nCOPY etc /etc\nENV PATH=/usr/local/bin:/usr/bin:/bin\n"
                + (entrypoint == null ? "" : "ENTRYPOINT " + entrypoint + "\n");
        Files.writeString(ctx.resolve("Dockerfile"), dockerfile);
        Proc.dockerOk("build", "-q", "--label", LABEL + "=" + run, "-t", tag, ctx.toString());
    }

    private void buildDnsmasqImage() throws IOException {
        Path ctx = Files.createDirectories(work.resolve("ctx-dnsmasq"));
        copyInto(ctx, "/usr/sbin/dnsmasq");
        Proc.Result ldd = Proc.run(List.of("ldd", "/usr/sbin/dnsmasq"), null, java.util.Map.of(),
                java.time.Duration.ofSeconds(30));
        for (String line : ldd.out().lines().toList()) {
            String l = line.strip();
            String path = l.contains("=> ") ? l.substring(l.indexOf("=> ") + 3) : l;
            path = path.contains(" (") ? path.substring(0, path.indexOf(" (")) : path;
            if (path.startsWith("/")) {
                copyInto(ctx, path);
            }
        }
        Files.createDirectories(ctx.resolve("etc"));
        Files.writeString(ctx.resolve("etc/passwd"), "root:x:0:0:root:/:/bin/false\n", StandardCharsets.UTF_8);
        Files.writeString(ctx.resolve("etc/group"), "root:x:0:\n", StandardCharsets.UTF_8);
        Files.writeString(ctx.resolve("Dockerfile"), "FROM scratch\nCOPY . /\nENTRYPOINT [\"/usr/sbin/dnsmasq\"]\n");
        Proc.dockerOk("build", "-q", "--label", LABEL + "=" + run, "-t", dnsImage, ctx.toString());
    }

    private static void copyInto(Path ctx, String file) throws IOException {
        Path target = ctx.resolve(file.substring(1));
        Files.createDirectories(target.getParent());
        Files.copy(Path.of(file), target, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Connects a capsule's sidecar to the world, as its external network would connect it to the internet. */
    void connect(String container) {
        Proc.dockerOk("network", "connect", network, container);
    }

    @Override
    public void close() {
        for (String c : containers) {
            Proc.docker("rm", "-f", c);
        }
        Proc.docker("network", "rm", network);
        Proc.docker("rmi", "-f", appImage, upstreamImage, dnsImage);
    }
}
