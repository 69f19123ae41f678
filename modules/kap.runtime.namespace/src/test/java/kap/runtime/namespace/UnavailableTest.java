package kap.runtime.namespace;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import kap.runtime.namespace.KapRun.As;
import kap.runtime.namespace.KapRun.Result;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * On a machine where user namespaces are switched off, {@code kap run} says so, names the fix, exits 125 and runs
 * nothing. The machine is made for real: {@code user.max_user_namespaces} is per user namespace, so the test sets it
 * to 0 in a namespace of its own and starts {@code kap run} there.
 */
@Timeout(120)
class UnavailableTest {

    @ParameterizedTest
    @EnumSource(As.class)
    void refusesToRunWithoutNamespacesAndSaysWhyAndHowToFixIt(As as) throws Exception {
        assumeTrue(as == As.USER || Sandbox.root(), "root tests need root");
        Sandbox sandbox = Sandbox.create(as);
        KapRun kap = new KapRun(as, sandbox);
        List<String> line = kap.commandLine(List.of("sh", "-c", "echo ran-without-isolation"));
        int javaAt = line.indexOf(line.stream().filter(a -> a.endsWith("/bin/java")).findFirst().orElseThrow());
        List<String> wrapped = new ArrayList<>(line.subList(0, javaAt));
        wrapped.addAll(List.of("unshare", "--user", "--map-root-user", "sh", "-c",
                "echo 0 > /proc/sys/user/max_user_namespaces && exec \"$@\"", "sh"));
        wrapped.addAll(line.subList(javaAt, line.size()));
        ProcessBuilder builder = new ProcessBuilder(wrapped).directory(sandbox.work().toFile())
                .redirectOutput(sandbox.dir().resolve("stdout").toFile())
                .redirectError(sandbox.dir().resolve("stderr").toFile());
        builder.environment().put("HOME", sandbox.home().toString());
        Result r = kap.finish(builder.start(), Duration.ofSeconds(60));
        assertThat(r.stdout(), not(containsString("ran-without-isolation")));
        assertThat(r.stderr(), allOf(containsString("kap: kap run cannot start here"),
                containsString("user.max_user_namespaces is 0"), containsString("sudo sysctl -w")));
        assertThat(r.exit(), is(125));
    }
}
