package kap.runtime.docker;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Network;

import kap.cli.spi.Capsule;
import kap.cli.spi.CapsuleShell;
import kap.cli.spi.ComposeSupport;
import kap.cli.spi.ExecRequest;
import kap.cli.spi.ProbeResult;
import kap.cli.spi.ProjectRuntime;
import kap.cli.spi.ProjectSpec;
import kap.cli.spi.RuntimeContext;

/**
 * The docker runtime: capsules made of two networks and two containers, found again through their labels.
 */
final class DockerRuntime implements ProjectRuntime, ComposeSupport {

    static final String NAME = "docker";

    private final DockerClient docker;
    private final RuntimeContext context;
    private final PrintStream progress;
    private final Containers containers;

    DockerRuntime(DockerClient docker, RuntimeContext context) {
        this.docker = docker;
        this.context = context;
        this.progress = context.progress();
        this.containers = new Containers(docker);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Capsule> capsules() throws IOException {
        return new Inventory(containers, context.registry()).all();
    }

    @Override
    public Optional<Capsule> find(Path projectDir) throws IOException {
        // a running capsule first, if a stale record of the same project is also around
        return capsules().stream().filter(c -> c.projectDir().equals(projectDir))
                .min(java.util.Comparator.comparing(c -> c.state() != Capsule.State.RUNNING));
    }

    @Override
    public Capsule up(ProjectSpec project, boolean reset) throws IOException {
        Names names = Names.of(project.projectDir(), project.name());
        if (reset) {
            progress.println("[reset] removing " + names.id());
            removeAll(names);
        }
        HostDirs dirs = new HostDirs(context.home(), names, project.name());
        dirs.create();
        String token = dirs.adminToken();
        Subnets.Pair pair = new Networks(docker, progress).ensure(names, project.projectDir());
        String sidecarImage = new SidecarImage(docker, progress, context.environment())
                .ensure(project.config().compose(), project.projectDir().resolve(".devcontainer"));
        SidecarSpec sidecar = new SidecarSpec(sidecarImage, pair, dirs, project.projectDir(),
                project.workspaceFolder(), project.config());
        warnAboutPorts(sidecar);
        Map<String, String> labels = labels(names, project.name(), project.projectDir(), sidecar);
        var started = new SidecarContainer(docker, progress).start(names, sidecar, labels);
        String appImage = appImage(project, names);
        Optional<Path> runtime = runtimeDir();
        String appId = new AppContainer(docker, progress).start(names, project, sidecar, appImage, runtime,
                labels);
        Map<String, String> details = new LinkedHashMap<>();
        details.put("app", names.app());
        details.put("sidecar", names.sidecar());
        details.put("sandbox", names.sandbox() + " " + pair.sandboxCidr() + " (internal)");
        details.put("external", names.external() + " " + pair.externalCidr());
        details.put("sidecar_ip", sidecar.sandboxIp());
        details.put("app_id", appId.substring(0, 12));
        Capsule capsule = new Capsule(names.id(), NAME, project.name(), project.projectDir(), Capsule.State.RUNNING,
                Optional.of(java.net.URI.create("http://127.0.0.1:" + started.adminHostPort() + "/")),
                sidecar.hostAuditLog(), Instant.now(), details, Optional.of(token), Optional.of(project.configFile()));
        context.registry().put(capsule);
        return capsule;
    }

    private Map<String, String> labels(Names names, String project, Path projectDir, SidecarSpec sidecar) {
        Map<String, String> labels = new HashMap<>();
        labels.put(Names.PROJECT, project);
        labels.put(Names.PROJECT_DIR, projectDir.toString());
        labels.put(Names.ADMIN_PORT, Integer.toString(sidecar.adminPort()));
        labels.put(Names.SANDBOX_IP, sidecar.sandboxIp());
        labels.put(Names.EXTERNAL_IP, sidecar.externalIp());
        sidecar.hostAuditLog().ifPresent(p -> labels.put(Names.AUDIT_LOG, p.toString()));
        return labels;
    }

    private void warnAboutPorts(SidecarSpec sidecar) {
        if (sidecar.config().proxy().dnsListen().port() != 53) {
            progress.println("[sidecar] warning: proxy.dns_listen is not on port 53; the app's resolver only asks"
                    + " port 53, so its names will not resolve");
        }
    }

    private String appImage(ProjectSpec project, Names names) throws IOException {
        ImageBuilder builder = new ImageBuilder(docker, progress);
        return switch (project.app()) {
            case ProjectSpec.Image image -> {
                if (!builder.exists(image.reference())) {
                    builder.pull(image.reference());
                }
                yield image.reference();
            }
            case ProjectSpec.Build build -> {
                String tag = names.id() + "-app:latest";
                Path tar = Files.createTempFile("kap-app-context", ".tar");
                try {
                    try (TarContext t = new TarContext(tar)) {
                        t.tree(".", build.context());
                    }
                    progress.println("[image] building the app image from " + build.context());
                    builder.build(tar, tag, build.dockerfile(), build.target(), build.args());
                } finally {
                    Files.deleteIfExists(tar);
                }
                yield tag;
            }
        };
    }

    /** The sidecar runtime on the host, mounted read-only into the app for the shims' Java; absent is fine. */
    private Optional<Path> runtimeDir() {
        try {
            return Optional.of(SidecarRuntime.locate(context.environment()));
        } catch (IllegalStateException e) {
            return Optional.empty();
        }
    }

    @Override
    public void down(Capsule capsule) throws IOException {
        removeAll(new Names(capsule.id()));
        context.registry().remove(capsule.id());
    }

    /** Removes every container, network and the shim volume of a capsule, however it was created. */
    private void removeAll(Names names) {
        containers.labelled(Optional.of(names.id())).forEach(c -> containers.remove(c.getId()));
        for (Network n : docker.listNetworksCmd().withFilter("label", List.of(Names.CAPSULE + "=" + names.id()))
                .exec()) {
            docker.removeNetworkCmd(n.getId()).exec();
        }
        for (String name : List.of(names.sandbox(), names.external())) {
            new Networks(docker, progress).find(name).ifPresent(n -> docker.removeNetworkCmd(n.getId()).exec());
        }
        try {
            docker.removeVolumeCmd(names.shims()).exec();
        } catch (NotFoundException e) {
            // never created
        }
    }

    @Override
    public int exec(Capsule capsule, ExecRequest request) throws IOException {
        InspectContainerResponse app = runningApp(capsule);
        return new Exec(docker, Engine.host(context.environment())).run(app, request, System.in, System.out,
                System.err);
    }

    @Override
    public List<ProbeResult> probe(Capsule capsule) throws IOException {
        InspectContainerResponse app = runningApp(capsule);
        Map<String, String> l = app.getConfig().getLabels();
        String sandboxIp = l.get(Names.SANDBOX_IP);
        String externalIp = l.get(Names.EXTERNAL_IP);
        if (sandboxIp == null || externalIp == null) {
            throw new IOException("the app container carries no kap network labels; recreate it with kap up --reset");
        }
        int admin = Integer.parseInt(l.getOrDefault(Names.ADMIN_PORT, "3131"));
        int egress = egressPort(capsule);
        String image = new SidecarImage(docker, progress, context.environment()).ensure(Optional.empty(),
                capsule.projectDir());
        return new Probes(docker).run(app.getId(), image, Probes.plan(sandboxIp, externalIp, admin, egress),
                new Names(capsule.id()));
    }

    @Override
    public Optional<CapsuleShell> shell(Capsule capsule) {
        return Optional.of((argv, timeout) -> new Exec(docker, Engine.host(context.environment()))
                .capture(runningApp(capsule), argv, timeout));
    }

    private static int egressPort(Capsule capsule) {
        try {
            return kap.policy.ConfigLoader.load(new kap.policy.ConfigFiles(Optional.of(capsule.projectDir()
                    .resolve(".devcontainer/kap.toml")), List.of(), kap.policy.ListenDefaults.CONTAINER))
                    .config().proxy().listen().port();
        } catch (RuntimeException e) {
            return 3128;
        }
    }

    private InspectContainerResponse runningApp(Capsule capsule) throws IOException {
        var app = Inventory.role(containers.labelled(Optional.of(capsule.id())), "app")
                .orElseThrow(() -> new IOException("capsule " + capsule.id() + " has no app container; run kap up"));
        InspectContainerResponse inspected = docker.inspectContainerCmd(app.getId()).exec();
        if (!Boolean.TRUE.equals(inspected.getState().getRunning())) {
            throw new IOException("the app container of " + capsule.id() + " is not running; run kap up");
        }
        return inspected;
    }

    @Override
    public String composeOverlay(ComposeTarget target) throws IOException {
        Names names = Names.of(target.projectDir(), target.name());
        HostDirs dirs = new HostDirs(context.home(), names, target.name());
        dirs.create();
        dirs.adminToken();
        Networks networks = new Networks(docker, progress);
        Optional<Network> sandbox = networks.find(names.sandbox());
        Optional<Network> external = networks.find(names.external());
        Subnets.Pair pair = sandbox.isPresent() && external.isPresent()
                ? networks.ensure(names, target.projectDir()) : networks.choose(target.projectDir());
        String image = new SidecarImage(docker, progress, context.environment()).ensure(target.config().compose(),
                target.projectDir().resolve(".devcontainer"));
        SidecarSpec sidecar = new SidecarSpec(image, pair, dirs, target.projectDir(), target.workspaceFolder(),
                target.config());
        return ComposeOverlay.render(target, sidecar, names, labels(names, target.name(), target.projectDir(),
                sidecar), runtimeDir().map(Path::toString));
    }
}
