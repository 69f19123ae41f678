package kap.runtime.namespace;

import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import kap.cli.spi.Capsule;
import kap.cli.spi.CapsuleRegistry;
import kap.runtime.namespace.KapRun.As;
import kap.runtime.namespace.KapRun.Result;
import kap.testing.Eventually;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What the command sees of the host's files: it cannot rewrite the policy the sidecar watches, cannot see kap's home
 * (audit log, grants, registry) or the session's runtime directory, cannot plant a global {@code kap.toml}, and can
 * work in its own directory. Meanwhile the capsule is in the registry with an admin address the host can reach.
 */
@Timeout(180)
class ConfinementTest {

    private static Sandbox sandbox(As as) throws Exception {
        assumeTrue(as == As.USER || Sandbox.root(), "root tests need root");
        return Sandbox.create(as);
    }

    /** A kap.toml in the working directory, owned by the user who runs kap: only the mount keeps it safe. */
    private static Path ownConfig(Sandbox sandbox) throws Exception {
        Path config = sandbox.work().resolve("kap.toml");
        Files.writeString(config, "[proxy.network]\nallow = [\"allowed.test\"]\n");
        Files.setOwner(config, Files.getOwner(sandbox.work()));
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-r--r--"));
        return config;
    }

    @ParameterizedTest
    @EnumSource(As.class)
    void theCommandCannotRewriteReplaceOrRemoveThePolicyFile(As as) throws Exception {
        Sandbox sandbox = sandbox(as);
        Path config = ownConfig(sandbox);
        String before = Files.readString(config);
        Result r = new KapRun(as, sandbox).run("sh", "-c", "echo 'allow = [\"*\"]' >> kap.toml; echo append=$?; "
                + "echo x > other.toml && mv other.toml kap.toml; echo move=$?; rm -f kap.toml; echo remove=$?; "
                + "touch written-here && echo workdir-writable");
        assertThat(r.stdout(), containsString("workdir-writable"));
        assertThat(r.stdout(), not(containsString("append=0")));
        assertThat(r.stdout(), not(containsString("move=0")));
        assertThat(r.stdout(), not(containsString("remove=0")));
        assertThat(r.stderr(), containsString("Read-only file system"));
        assertThat(Files.readString(config), is(before));
        assertThat(Files.exists(sandbox.work().resolve("written-here")), is(true));
    }

    @ParameterizedTest
    @EnumSource(As.class)
    void kapsHomeAndTheSessionRuntimeDirectoryAreEmptyInside(As as) throws Exception {
        Sandbox sandbox = sandbox(as);
        Path xdg = sandbox.dir().resolve("xdg");
        Files.createDirectories(xdg);
        Files.writeString(xdg.resolve("session-secret"), "s3cret");
        Files.createDirectories(sandbox.kapHome());
        Files.writeString(sandbox.kapHome().resolve("grants-secret"), "g");
        if (as == As.USER && Sandbox.root()) {
            Files.setOwner(xdg, TestUser.principal());
            Files.setOwner(sandbox.kapHome(), TestUser.principal());
        }
        Files.setPosixFilePermissions(xdg, PosixFilePermissions.fromString("rwx------"));
        Result r = new KapRun(as, sandbox).env("XDG_RUNTIME_DIR", xdg.toString()).run("sh", "-c",
                "ls -A $XDG_RUNTIME_DIR; echo ---; ls -A ~/.kap; echo ---; "
                        + "mkdir -p ~/.kap && echo '[proxy.network]' > ~/.kap/kap.toml && echo planted; "
                        + "cat /etc/resolv.conf");
        assertThat(r.stderr(), r.exit(), is(0));
        String[] parts = r.stdout().split("---\n");
        // the runtime directory is inside $XDG_RUNTIME_DIR here, so only its path shows
        assertThat(parts[0].trim(), is("kap"));
        assertThat(parts[1].trim(), is(""));
        assertThat(r.stdout(), containsString("planted"));
        assertThat(Files.exists(sandbox.kapHome().resolve("kap.toml")), is(false));
        assertThat(Files.exists(xdg.resolve("session-secret")), is(true));
        assertThat(Files.list(xdg.resolve("kap")).toList(), is(empty()));
    }

    @ParameterizedTest
    @EnumSource(As.class)
    void theCapsuleIsRegisteredWithAnAdminAddressWhileItRuns(As as) throws Exception {
        Sandbox sandbox = sandbox(as);
        KapRun kap = new KapRun(as, sandbox);
        Process process = kap.start("sh", "-c", "echo ready; sleep 60");
        Path records = sandbox.kapHome().resolve("capsules");
        assertThat(Eventually.within(Duration.ofSeconds(60), () -> {
            try {
                return kap.stdout().contains("ready") && Files.list(records).count() == 1;
            } catch (Exception e) {
                return false;
            }
        }), notNullValue());
        List<Capsule> capsules = new CapsuleRegistry(records).all();
        assertThat(capsules, hasSize(1));
        Capsule capsule = capsules.getFirst();
        assertThat(capsule.runtime(), is("namespace"));
        assertThat(capsule.state(), is(Capsule.State.RUNNING));
        assertThat(capsule.projectDir(), is(sandbox.work()));
        assertThat(capsule.auditLog().orElseThrow(), is(sandbox.kapHome().resolve("log/audit.jsonl")));
        assertThat(capsule.details().get("pid"), is(Long.toString(process.pid())));
        HttpURLConnection health = (HttpURLConnection) URI.create(capsule.admin().orElseThrow() + "/health").toURL()
                .openConnection();
        health.setConnectTimeout(2000);
        health.setReadTimeout(2000);
        assertThat(health.getResponseCode(), is(200));
        SignalsAndTerminalTest.kill("TERM", process.pid());
        assertThat(kap.finish(process, Duration.ofSeconds(30)).exit(), is(143));
        assertThat(Files.list(records).toList(), is(empty()));
    }
}
