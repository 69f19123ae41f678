package kap.runtime.docker;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerPort;

import kap.cli.spi.Capsule;
import kap.cli.spi.CapsuleRegistry;

/**
 * The capsules Docker has, read from the labels every kap container carries (whether {@code kap up} or compose
 * created it), merged with the registry: a record whose containers are gone is {@link Capsule.State#GONE}.
 */
final class Inventory {

    private final Containers containers;
    private final CapsuleRegistry registry;

    Inventory(Containers containers, CapsuleRegistry registry) {
        this.containers = containers;
        this.registry = registry;
    }

    List<Capsule> all() throws IOException {
        Map<String, List<Container>> byCapsule = new LinkedHashMap<>();
        for (Container c : containers.labelled(Optional.empty())) {
            byCapsule.computeIfAbsent(c.getLabels().get(Names.CAPSULE), k -> new ArrayList<>()).add(c);
        }
        Map<String, Capsule> recorded = new LinkedHashMap<>();
        for (Capsule r : registry.all()) {
            if (r.runtime().equals(DockerRuntime.NAME)) {
                recorded.put(r.id(), r);
            }
        }
        List<Capsule> result = new ArrayList<>();
        byCapsule.forEach((id, list) -> capsule(id, list).map(c -> withRecord(c, recorded.get(id)))
                .ifPresent(result::add));
        recorded.values().stream().filter(r -> !byCapsule.containsKey(r.id()))
                .forEach(r -> result.add(r.withState(Capsule.State.GONE)));
        return result;
    }

    private Optional<Capsule> capsule(String id, List<Container> list) {
        Optional<Container> app = role(list, "app");
        Optional<Container> sidecar = role(list, "sidecar");
        Container any = app.or(() -> sidecar).orElse(list.getFirst());
        Map<String, String> labels = new LinkedHashMap<>();
        list.forEach(c -> labels.putAll(c.getLabels()));
        String dir = labels.get(Names.PROJECT_DIR);
        if (dir == null) {
            return Optional.empty();
        }
        boolean running = app.map(Inventory::running).orElse(false) && sidecar.map(Inventory::running).orElse(false);
        Capsule.State state = running ? Capsule.State.RUNNING : Capsule.State.STOPPED;
        Optional<URI> admin = sidecar.flatMap(s -> adminPort(s, labels))
                .map(p -> URI.create("http://127.0.0.1:" + p + "/"));
        Map<String, String> details = new LinkedHashMap<>();
        app.ifPresent(a -> details.put("app", name(a) + " (" + a.getState() + ")"));
        sidecar.ifPresent(s -> details.put("sidecar", name(s) + " (" + s.getState() + ", " + s.getStatus() + ")"));
        Optional.ofNullable(labels.get(Names.SANDBOX_IP)).ifPresent(ip -> details.put("sidecar_ip", ip));
        Instant started = Instant.ofEpochSecond(any.getCreated() == null ? 0 : any.getCreated());
        return Optional.of(new Capsule(id, DockerRuntime.NAME, labels.getOrDefault(Names.PROJECT, id), Path.of(dir),
                state, admin, Optional.ofNullable(labels.get(Names.AUDIT_LOG)).map(Path::of), started, details));
    }

    /** The live capsule with what only the record knows: the admin token and the kap.toml path. */
    private static Capsule withRecord(Capsule live, Capsule record) {
        if (record == null) {
            return live;
        }
        return new Capsule(live.id(), live.runtime(), live.project(), live.projectDir(), live.state(), live.admin(),
                live.auditLog(), live.startedAt(), live.details(), record.adminToken(), record.config());
    }

    static Optional<Container> role(List<Container> list, String role) {
        return list.stream().filter(c -> role.equals(c.getLabels().get(Names.ROLE))).findFirst();
    }

    private static boolean running(Container c) {
        return "running".equals(c.getState());
    }

    private static String name(Container c) {
        return c.getNames() != null && c.getNames().length > 0 ? c.getNames()[0].replaceFirst("^/", "") : c.getId();
    }

    private static Optional<Integer> adminPort(Container sidecar, Map<String, String> labels) {
        int port = Integer.parseInt(labels.getOrDefault(Names.ADMIN_PORT, "3131"));
        if (sidecar.getPorts() == null) {
            return Optional.empty();
        }
        for (ContainerPort p : sidecar.getPorts()) {
            if (p.getPrivatePort() != null && p.getPrivatePort() == port && p.getPublicPort() != null
                    && "127.0.0.1".equals(p.getIp())) {
                return Optional.of(p.getPublicPort());
            }
        }
        return Optional.empty();
    }
}
