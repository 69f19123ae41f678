package kap.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import kap.cli.spi.Capsule;
import kap.cli.spi.CapsuleRegistry;
import kap.cli.spi.CapsuleRuntime;
import kap.cli.spi.RuntimeContext;
import kap.cli.spi.RuntimeProvider;
import kap.remote.AgentShell;
import kap.remote.CapsuleRef;
import kap.remote.CapsuleSource;

/**
 * The remote daemon's view of the host's capsules: every record of the capsule registry, with its state as its
 * runtime sees it now, and the runtime's shell into it for the agent tab.
 */
final class RegistryCapsules implements CapsuleSource {

    private final CapsuleRegistry registry;
    private final Map<String, CapsuleRuntime> runtimes = new HashMap<>();

    RegistryCapsules(Path kapHome, List<RuntimeProvider> providers) {
        this.registry = new CapsuleRegistry(kapHome.resolve("capsules"));
        RuntimeContext context = new RuntimeContext(kapHome, System.getenv(), System.err, registry);
        for (RuntimeProvider p : providers) {
            if (p.availability().available()) {
                runtimes.put(p.name(), p.create(context));
            }
        }
    }

    @Override
    public List<CapsuleRef> capsules() throws IOException {
        Map<String, Capsule> live = new HashMap<>();
        for (CapsuleRuntime r : runtimes.values()) {
            try {
                r.capsules().forEach(c -> live.put(c.id(), c));
            } catch (IOException | RuntimeException e) {
                // that runtime cannot be asked now; its records keep their recorded state
            }
        }
        List<CapsuleRef> result = new ArrayList<>();
        for (Capsule recorded : registry.all()) {
            result.add(ref(live.getOrDefault(recorded.id(), recorded)));
        }
        return result;
    }

    @Override
    public Optional<AgentShell> shell(CapsuleRef ref) {
        CapsuleRuntime runtime = runtimes.get(ref.runtime());
        if (runtime == null) {
            return Optional.empty();
        }
        Optional<Capsule> capsule;
        try {
            capsule = registry.get(ref.id());
        } catch (IOException e) {
            return Optional.empty();
        }
        return capsule.flatMap(runtime::shell).map(shell -> (argv, timeout) -> {
            var r = shell.run(argv, timeout == null ? Duration.ofSeconds(15) : timeout);
            return new AgentShell.ShellResult(r.exitCode(), r.stdout(), r.stderr());
        });
    }

    static CapsuleRef ref(Capsule c) {
        return new CapsuleRef(c.id(), c.runtime(), c.project(), c.projectDir(),
                c.state().name().toLowerCase(Locale.ROOT),
                c.admin(), c.adminToken(), c.config().or(() -> Optional.of(c.projectDir().resolve(".devcontainer")
                .resolve("kap.toml")).filter(java.nio.file.Files::exists)), c.startedAt(), c.details());
    }
}
