package kap.clix;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import kap.testing.Eventually;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.notNullValue;

/**
 * Shutting the listener down stops running tools within the grace period and tells their shims why.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ShutdownTest {

    @TempDir
    Path dir;

    @Test
    void shutdownStopsRunningToolsWithinTheGracePeriod() throws Exception {
        try (ClixFixture clix = new ClixFixture(dir, """
                [cli]
                listen = "127.0.0.1:0"
                [[cli.tools]]
                name = "pidsleep"
                allow = ["*"]
                """)) {
            clix.tool("pidsleep", "echo $$\nexec sleep 300");
            Process shim = clix.start("pidsleep", List.of(), clix.workspace, Map.of());
            BufferedReader out = new BufferedReader(new InputStreamReader(shim.getInputStream(),
                    StandardCharsets.UTF_8));
            long tool = Long.parseLong(out.readLine().strip());
            long start = System.nanoTime();
            clix.server.shutdown(3000);
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(took, lessThan(3500L));
            assertThat(shim.waitFor(10, TimeUnit.SECONDS), is(true));
            assertThat(shim.exitValue(), is(125));
            assertThat(new String(shim.getErrorStream().readAllBytes(), StandardCharsets.UTF_8),
                    containsString("shutting down"));
            assertThat(Eventually.within(Duration.ofSeconds(5),
                    () -> ProcessHandle.of(tool).map(h -> !h.isAlive()).orElse(true)), notNullValue());
        }
    }
}
