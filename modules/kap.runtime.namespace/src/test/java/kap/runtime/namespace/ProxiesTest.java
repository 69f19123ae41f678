package kap.runtime.namespace;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import kap.runtime.namespace.KapRun.As;
import kap.runtime.namespace.KapRun.Result;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The MCP and CLI proxies are reachable from inside at 127.0.0.1:3129 and 127.0.0.1:3130, the addresses of the
 * Docker runtime's sidecar. The CLI proxy's shim is first on {@code PATH}: a configured tool runs on the host (its
 * network namespace is this test's, not the capsule's) and is audited; the MCP proxy answers for itself.
 */
@Timeout(180)
class ProxiesTest {

    private static KapRun kap(As as, Sandbox sandbox) throws Exception {
        assumeTrue(as == As.USER || Sandbox.root(), "root tests need root");
        Path config = sandbox.dir().resolve("kap.toml");
        Files.writeString(config, """
                [proxy]
                dns_upstream = "127.0.0.1:9"
                [proxy.network]
                allow = ["allowed.test"]
                [cli]
                [[cli.tools]]
                name = "readlink"
                preset = "none"
                allow = ["/proc/self/ns/net"]
                [mcp]
                [[mcp.servers]]
                name = "local"
                allow = ["*"]
                """);
        Sandbox.openUp(config);
        return new KapRun(as, sandbox).config(config);
    }

    @ParameterizedTest
    @EnumSource(As.class)
    void aConfiguredToolRunsOnTheHostThroughTheCliProxyAt3130(As as) throws Exception {
        Sandbox sandbox = Sandbox.create(as);
        String hostNetwork = Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString();
        Result r = kap(as, sandbox).run("sh", "-c", "echo KAP_CLIX=$KAP_CLIX; readlink /proc/self/ns/net; "
                + "/usr/bin/readlink /proc/self/ns/net; readlink /etc/hostname; echo exit=$?");
        assertThat(r.stderr(), r.exit(), is(0));
        String[] lines = r.stdout().split("\n");
        assertThat(lines[0], is("KAP_CLIX=127.0.0.1:3130"));
        assertThat("through the shim: the host's network namespace", lines[1], is(hostNetwork));
        assertThat("directly: the capsule's own", lines[2], not(is(hostNetwork)));
        assertThat(r.stderr(), containsString("denied"));
        assertThat(lines[3], not(is("exit=0")));
        assertThat(Audit.recorded(sandbox, "clix", "readlink /proc/self/ns/net", "allow"), is(true));
        assertThat(Audit.recorded(sandbox, "clix", "readlink /etc/hostname", "deny"), is(true));
    }

    @ParameterizedTest
    @EnumSource(As.class)
    void theMcpProxyAnswersAt3129(As as) throws Exception {
        Result r = kap(as, Sandbox.create(as)).run("curl", "-sS", "--max-time", "10", "-X", "POST",
                "-H", "Content-Type: application/json", "-H", "Accept: application/json, text/event-stream",
                "-d", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}", "-w", "\nstatus=%{http_code}\n",
                "http://127.0.0.1:3129/unknown-server");
        assertThat(r.stderr(), r.exit(), is(0));
        assertThat(r.stdout(), containsString("kap does not serve MCP server \\\"unknown-server\\\""));
        assertThat(r.stdout(), containsString("status=404"));
    }
}
