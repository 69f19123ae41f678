package kap.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import kap.cli.spi.Capsule;
import kap.cli.spi.CapsuleRuntime;

/**
 * {@code kap list}: every capsule on this host, from every available runtime, with its state.
 */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List capsules and their state.")
final class ListCommand implements Callable<Integer> {

    @Option(names = "--json", description = "one JSON array, for scripts")
    boolean json;

    @Override
    public Integer call() throws IOException {
        List<Capsule> capsules = new ArrayList<>();
        for (CapsuleRuntime r : Runtimes.available(System.err)) {
            capsules.addAll(r.capsules());
        }
        if (json) {
            ObjectMapper mapper = new ObjectMapper();
            ArrayNode array = mapper.createArrayNode();
            capsules.forEach(c -> array.add(toJson(mapper, c)));
            System.out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(array));
            return 0;
        }
        if (capsules.isEmpty()) {
            System.out.println("No capsules. Start one with: kap up");
            return 0;
        }
        Style style = Style.detect();
        String format = "%-34s %-8s %-8s %s%n";
        System.out.printf(format, "CAPSULE", "RUNTIME", "STATE", "PROJECT");
        for (Capsule c : capsules) {
            String state = c.state().name().toLowerCase(java.util.Locale.ROOT);
            System.out.printf(format, c.id(), c.runtime(),
                    c.state() == Capsule.State.RUNNING ? style.ok(state) : style.bad(state), c.projectDir());
        }
        return 0;
    }

    static ObjectNode toJson(ObjectMapper mapper, Capsule c) {
        ObjectNode n = mapper.createObjectNode();
        n.put("id", c.id());
        n.put("runtime", c.runtime());
        n.put("project", c.project());
        n.put("project_dir", c.projectDir().toString());
        n.put("state", c.state().name().toLowerCase(java.util.Locale.ROOT));
        n.put("admin", c.admin().map(Object::toString).orElse(null));
        n.put("audit_log", c.auditLog().map(Object::toString).orElse(null));
        n.put("started_at", c.startedAt().toString());
        ObjectNode d = n.putObject("details");
        c.details().forEach(d::put);
        return n;
    }
}
