package kap.policy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import kap.testing.Eventually;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;

/**
 * Hot reload: valid edits apply within a second, broken edits and vanished files keep the last good policy.
 */
@Timeout(20)
class LivePolicyTest {

    private static final Duration ONE_SECOND = Duration.ofSeconds(1);

    @TempDir
    Path dir;

    private LivePolicy live;

    @AfterEach
    void close() {
        if (live != null) {
            live.close();
        }
    }

    private Path write(String name, String allow) throws Exception {
        Path file = dir.resolve(name);
        Path tmp = dir.resolve(name + ".tmp");
        // write then rename, as editors do, so the watcher never sees half a file
        Files.writeString(tmp, "[proxy.network]\nallow = [" + allow + "]\n");
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return file;
    }

    private LivePolicy start(Path project, List<Path> globals) {
        live = LivePolicy.start(new ConfigFiles(Optional.of(project), globals, ListenDefaults.CONTAINER),
                Policies.CLASSIFIER, LivePolicy.DEFAULT_INTERVAL);
        return live;
    }

    private boolean allows(String host) {
        return live.current().decideHost(HostPort.of(host, 443)).allowed();
    }

    @Test
    void aValidEditIsSeenWithinOneSecond() throws Exception {
        Path file = write("kap.toml", "\"a.example\"");
        start(file, List.of());
        assertThat(allows("b.example"), is(false));
        write("kap.toml", "\"a.example\", \"b.example\"");
        assertThat("applied within 1 s", Eventually.within(ONE_SECOND, () -> allows("b.example")), notNullValue());
        assertThat(live.generation(), is(2L));
        assertThat(live.lastError(), is(Optional.empty()));
    }

    @Test
    void aBrokenEditKeepsTheOldPolicyAndRecordsTheError() throws Exception {
        Path file = write("kap.toml", "\"a.example\"");
        start(file, List.of());
        Files.writeString(file, "[proxy.network]\nallow = [\"*hub.com\"]\n");
        assertThat(Eventually.within(ONE_SECOND, () -> live.lastError().isPresent()), notNullValue());
        assertThat(allows("a.example"), is(true));
        assertThat(live.generation(), is(1L));
        assertThat(live.lastError().orElseThrow().message(), containsString(file + ":2: proxy.network.allow[0]"));
        write("kap.toml", "\"c.example\"");
        assertThat(Eventually.within(ONE_SECOND, () -> allows("c.example")), notNullValue());
        assertThat(live.lastError(), is(Optional.empty()));
    }

    @Test
    void aFileThatDisappearsKeepsTheOldPolicy() throws Exception {
        Path file = write("kap.toml", "\"a.example\"");
        start(file, List.of());
        Files.delete(file);
        assertThat(Eventually.within(ONE_SECOND, () -> live.lastError().isPresent()), notNullValue());
        assertThat(live.lastError().orElseThrow().message(), containsString("config file disappeared"));
        assertThat(allows("a.example"), is(true));
        write("kap.toml", "\"d.example\"");
        assertThat(Eventually.within(ONE_SECOND, () -> allows("d.example")), notNullValue());
        assertThat(allows("a.example"), is(false));
        assertThat(live.lastError(), is(Optional.empty()));
    }

    @Test
    void anEditOfTheGlobalFileIsSeenToo() throws Exception {
        Path project = write("kap.toml", "\"a.example\"");
        Path global = dir.resolve("global.toml");
        start(project, List.of(global));
        assertThat(allows("g.example"), is(false));
        write("global.toml", "\"g.example\"");
        assertThat(Eventually.within(ONE_SECOND, () -> allows("g.example")), notNullValue());
        assertThat(allows("a.example"), is(true));
    }

    @Test
    void anEditInPlaceWithTheSameSizeAndTimeIsStillSeen() throws Exception {
        Path file = write("kap.toml", "\"aa.example\"");
        start(file, List.of());
        var time = Files.getLastModifiedTime(file);
        Files.writeString(file, "[proxy.network]\nallow = [\"bb.example\"]\n");
        Files.setLastModifiedTime(file, time);
        assertThat(Eventually.within(ONE_SECOND, () -> allows("bb.example")), notNullValue());
    }

    @Test
    void listenersHearEveryAppliedPolicy() throws Exception {
        Path file = write("kap.toml", "\"a.example\"");
        start(file, List.of());
        AtomicInteger heard = new AtomicInteger();
        live.onReload(p -> heard.incrementAndGet());
        write("kap.toml", "\"b.example\"");
        assertThat(Eventually.within(ONE_SECOND, () -> heard.get() == 1), notNullValue());
    }

    @Test
    void readersNeverSeeAMissingPolicyWhileReloadsHappen() throws Exception {
        Path file = write("kap.toml", "\"a.example\"");
        start(file, List.of());
        Thread writer = Thread.ofVirtual().start(() -> {
            try {
                for (int i = 0; i < 20; i++) {
                    write("kap.toml", "\"a.example\", \"n" + i + ".example\"");
                    Thread.sleep(30);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        long reads = 0;
        while (writer.isAlive()) {
            assertThat(allows("a.example"), is(true));
            reads++;
        }
        writer.join();
        assertThat(reads > 0, is(true));
    }

    @Test
    void reportsKeysThatNeedARestart() throws Exception {
        Path file = dir.resolve("kap.toml");
        Files.writeString(file, "[proxy]\nlisten = \"127.0.0.1:3128\"\n[proxy.network]\nallow = [\"a.example\"]\n");
        start(file, List.of());
        KapConfig started = live.current().config();
        Files.writeString(file, "[proxy]\nlisten = \"127.0.0.1:4128\"\n[proxy.network]\nallow = [\"a.example\"]\n"
                + "[mcp]\n");
        assertThat(Eventually.within(ONE_SECOND, () -> live.generation() == 2), notNullValue());
        assertThat(live.restartNeeded(started), is(List.of("proxy.listen", "mcp")));
    }
}
