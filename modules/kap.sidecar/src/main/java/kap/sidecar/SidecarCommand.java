package kap.sidecar;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import kap.policy.ConfigFiles;
import kap.policy.Endpoint;
import kap.policy.ConfigLoader;
import kap.policy.KapConfig;
import kap.policy.ListenDefaults;
import kap.policy.LoadResult;
import kap.sidecar.spi.ListenerProvider;

/**
 * {@code kap sidecar}: runs the sidecar in the foreground until SIGTERM or Ctrl-C. The same command is the entry point
 * of the sidecar runtime image ({@link Main}) and a subcommand of the {@code kap} CLI.
 */
@Command(name = "sidecar",
        mixinStandardHelpOptions = true,
        description = {"Run the sidecar: egress proxy, DNS forwarder and the admin listener.",
                "Without --config it runs on the embedded default policy (what `kap init` generates), on loopback."})
public final class SidecarCommand implements Callable<Integer> {

    /** Exit code for an invalid configuration (sysexits EX_CONFIG). */
    public static final int CONFIG_ERROR = 78;

    /**
     * Required public constructor for picocli.
     */
    public SidecarCommand() {
    }

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "kap.toml to load and watch (default: $KAP_CONFIG, else the embedded default policy)")
    Path config;

    @Option(names = "--global", paramLabel = "FILE",
            description = "global kap.toml merged into the project file (default: /etc/kap/global.toml, then ~/.kap/kap.toml)")
    Path global;

    @Option(names = "--no-global", description = "do not merge any global kap.toml")
    boolean noGlobal;

    @Option(names = "--grants", paramLabel = "FILE",
            description = "approvals granted from the phone or `kap approve`, watched like kap.toml "
                    + "(default: ~/.kap/state/grants.json, or /var/lib/kap/grants.json with --profile container)")
    Path grants;

    @Option(names = "--admin-listen", paramLabel = "IP:PORT",
            description = "where the admin listener binds when kap.toml sets no admin_listen; a runtime sets this to an"
                    + " address the capsule cannot reach (the docker runtime: the sidecar's external-network address,"
                    + " published on the host's loopback)")
    String adminListen;

    @Option(names = "--listen-address", paramLabel = "IP",
            description = "the address the capsule-facing listeners (egress, DNS, MCP, CLI) bind when kap.toml sets"
                    + " none, instead of the profile's; a runtime sets the sidecar's address on the capsule network")
    String listenAddress;

    @Option(names = "--check",
            description = "load and validate the configuration, print the listeners that would start, and exit")
    boolean check;

    @Option(names = "--admin-token-file", paramLabel = "FILE",
            description = "the admin token that the event stream and approval endpoints require; created (mode 0600) "
                    + "with a new random token if missing. Default: $KAP_ADMIN_TOKEN, else those endpoints are off")
    Path adminTokenFile;

    @Option(names = "--profile", paramLabel = "PROFILE", defaultValue = "local",
            description = "defaults for unset listen addresses: local (loopback, DNS on 3153) or container "
                    + "(0.0.0.0, DNS on 53). Default: ${DEFAULT-VALUE}")
    Profile profile;

    /**
     * Runs the sidecar until it is stopped.
     *
     * @return exit code
     * @throws Exception if it cannot start
     */
    @Override
    public Integer call() throws Exception {
        Optional<Path> project = Optional.ofNullable(config)
                .or(() -> Optional.ofNullable(System.getenv("KAP_CONFIG")).filter(s -> !s.isBlank()).map(Path::of));
        if (project.isPresent() && !Files.exists(project.get())) {
            System.err.println("kap: config file not found: " + project.get());
            return CONFIG_ERROR;
        }
        List<Path> globals = noGlobal ? List.of() : global != null ? List.of(global)
                : ConfigFiles.standardGlobalCandidates();
        ListenDefaults defaults = profile == Profile.CONTAINER ? ListenDefaults.CONTAINER : ListenDefaults.local();
        defaults = placed(defaults);
        Path grantsFile = grants != null ? grants : profile == Profile.CONTAINER ? Path.of("/var/lib/kap/grants.json")
                : Path.of(System.getProperty("user.home"), ".kap", "state", "grants.json");
        ConfigFiles files = new ConfigFiles(project, globals, defaults, Optional.of(grantsFile));
        if (check) {
            return check(files);
        }
        // registered before start, so a SIGTERM that arrives while listeners come up still closes what is open
        AtomicReference<Sidecar> running = new AtomicReference<>();
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("kap-shutdown").unstarted(() -> {
            Sidecar s = running.get();
            if (s != null) {
                s.close();
            }
        }));
        SidecarOptions options = SidecarOptions.of(files);
        Optional<String> token = adminTokenFile != null ? Optional.of(AdminToken.readOrCreate(adminTokenFile))
                : Optional.ofNullable(System.getenv("KAP_ADMIN_TOKEN")).filter(s -> !s.isBlank());
        if (token.isPresent()) {
            options = options.withAdminToken(token.get());
        }
        Sidecar sidecar = Sidecar.start(options);
        running.set(sidecar);
        sidecar.awaitClosed();
        return 0;
    }

    /** The defaults with the addresses a runtime chose ({@code --listen-address}, {@code --admin-listen}). */
    private ListenDefaults placed(ListenDefaults d) throws java.net.UnknownHostException {
        ListenDefaults result = d;
        if (listenAddress != null) {
            java.net.InetAddress at = java.net.InetAddress.getByName(listenAddress);
            result = new ListenDefaults(new Endpoint(at, d.egress().port()), new Endpoint(at, d.dns().port()),
                    new Endpoint(at, d.mcp().port()), new Endpoint(at, d.cli().port()), d.admin(), d.log());
        }
        if (adminListen != null) {
            result = new ListenDefaults(result.egress(), result.dns(), result.mcp(), result.cli(),
                    Endpoint.parse(adminListen, -1), result.log());
        }
        return result;
    }

    /** Validates the configuration and lists what would start; exit 0 when it would start. */
    private static int check(ConfigFiles files) {
        LoadResult result = ConfigLoader.load(files);
        KapConfig config = result.config();
        result.warnings().forEach(w -> System.err.println(w));
        System.out.println("policy: " + (config.sources().isEmpty() ? "embedded default"
                : config.sources().stream().map(Path::toString).collect(Collectors.joining(" + "))));
        for (ListenerProvider provider : Sidecar.providers()) {
            System.out.println("listener " + provider.name() + ": " + (provider.enabled(config) ? "starts" : "off"));
        }
        System.out.println("admin: " + config.proxy().adminListen());
        return 0;
    }

    /** Listen-address defaults. */
    enum Profile {
        /** Loopback only; for a sidecar on the user's machine. */
        LOCAL,
        /** Every interface; for the sidecar container. */
        CONTAINER
    }
}
