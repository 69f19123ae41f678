package kap.policy.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

import kap.policy.Cidr;
import kap.policy.CliConfig;
import kap.policy.CliMode;
import kap.policy.CliTool;
import kap.policy.ComposeConfig;
import kap.policy.DnsConfig;
import kap.policy.Endpoint;
import kap.policy.KapConfig;
import kap.policy.LimitsConfig;
import kap.policy.ListenDefaults;
import kap.policy.McpConfig;
import kap.policy.McpServer;
import kap.policy.NetworkConfig;
import kap.policy.ObserveConfig;
import kap.policy.ProxyConfig;
import kap.policy.Rule;
import kap.policy.Setup;
import kap.policy.spi.MatcherScope;

/**
 * Turns merged {@link Wire} records into a validated {@link KapConfig}. Every problem is recorded with its file, line
 * and key; the result is empty if any was an error.
 */
final class Binder {

    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    private static final Pattern PRESET_NAME = Pattern.compile("[a-z][a-z0-9-]{0,31}");
    private static final int MAX_FIXED_ARGS = 64;
    private static final Path DEFAULT_AUTH_DIR = Path.of("/etc/kap/auth");

    private final Problems problems;
    private final ListenDefaults defaults;
    private final MatcherRegistry matchers;

    private Binder(Problems problems, ListenDefaults defaults, MatcherRegistry matchers) {
        this.problems = problems;
        this.defaults = defaults;
        this.matchers = matchers;
    }

    static Optional<KapConfig> bind(Wire.Config wire, List<Path> sources, ListenDefaults defaults,
                                    MatcherRegistry matchers, Problems problems) {
        return new Binder(problems, defaults, matchers).config(wire, sources);
    }

    private Optional<KapConfig> config(Wire.Config w, List<Path> sources) {
        Map<String, String> env = new LinkedHashMap<>();
        w.env().forEach((key, value) -> {
            if (!ENV_NAME.matcher(key).matches()) {
                problems.error(value.origin(), value.key(), "'" + key + "' is not a valid environment variable name");
            }
            env.put(key, value.value());
        });
        Setup setup = w.setup().map(s -> new Setup(flag(s.claudeCode()), flag(s.codex()), flag(s.gh())))
                .orElse(Setup.NONE);
        ProxyConfig proxy = proxy(w.proxy(), w.file());
        Optional<McpConfig> mcp = w.mcp().map(this::mcp);
        Optional<CliConfig> cli = w.cli().map(this::cli);
        Optional<ComposeConfig> compose = w.compose().map(this::compose);
        if (problems.hasErrors() || proxy == null) {
            return Optional.empty();
        }
        return Optional.of(new KapConfig(w.sshAgent().map(Located::value).orElse(true),
                flag(w.sshSigning()), env, setup, proxy, mcp, cli, compose, sources));
    }

    private ProxyConfig proxy(Wire.Proxy p, Path file) {
        Endpoint listen = endpoint(p.listen(), defaults.egress(), -1);
        Endpoint dnsListen = endpoint(p.dnsListen(), defaults.dns(), -1);
        Endpoint admin = endpoint(p.adminListen(), defaults.admin(), -1);
        List<Endpoint> upstreams = new ArrayList<>();
        p.dnsUpstream().ifPresent(list -> list.forEach(u -> convert(u, v -> Endpoint.parse(v, 53))
                .ifPresent(upstreams::add)));
        if (admin != null) {
            Origin at = p.adminListen().map(Located::origin).orElse(new Origin(file, 0));
            if (admin.address().isAnyLocalAddress()) {
                problems.error(at, "proxy.admin_listen", "the admin listener must bind one address that the capsule"
                        + " cannot reach, such as 127.0.0.1, not " + admin);
            } else if (admin.port() != 0 && (admin.equals(listen) || admin.equals(dnsListen))) {
                problems.error(at, "proxy.admin_listen",
                        "the admin listener must not share an address with a capsule-facing listener");
            } else if (listen != null && !admin.address().isLoopbackAddress()
                    && (admin.address().equals(listen.address()) || listen.address().isAnyLocalAddress())) {
                problems.error(at, "proxy.admin_listen", "the admin listener must not be on the capsule's network: "
                        + "use a loopback address, such as 127.0.0.1");
            }
        }
        List<Rule> allow = rules(p.network().allow(), MatcherScope.NETWORK);
        List<Rule> deny = rules(p.network().deny(), MatcherScope.NETWORK);
        List<Cidr> unsafe = new ArrayList<>();
        p.network().unsafeAllowCidrs().forEach(c -> convert(c, Cidr::parse).ifPresent(unsafe::add));
        if (p.network().allow().isEmpty()) {
            problems.warn(new Origin(file, 0), "proxy.network.allow",
                    "no allowed domains configured — all outbound traffic will be blocked");
        }
        ObserveConfig observe = observe(p.observe());
        LimitsConfig limits = limits(p.limits());
        DnsConfig dns = dns(p.dns());
        if (listen == null || dnsListen == null || admin == null || observe == null || limits == null || dns == null) {
            return null;
        }
        return new ProxyConfig(listen, dnsListen, upstreams, admin, new NetworkConfig(allow, deny, unsafe), observe,
                limits, dns);
    }

    private ObserveConfig observe(Wire.Observe o) {
        Path log = o.log().flatMap(l -> convert(l, Path::of)).orElse(defaults.log());
        long maxBytes = intIn(o.logMaxBytes(), 10 * 1024 * 1024, 1024, Integer.MAX_VALUE);
        int keep = intIn(o.logKeep(), 3, 1, 100);
        return construct(Origin.EMBEDDED, "proxy.observe", () -> new ObserveConfig(log, maxBytes, keep));
    }

    private LimitsConfig limits(Wire.Limits l) {
        LimitsConfig d = LimitsConfig.DEFAULTS;
        return construct(Origin.EMBEDDED, "proxy.limits", () -> new LimitsConfig(
                intIn(l.maxConnections(), d.maxConnections(), 1, 1_000_000),
                intIn(l.maxTunnels(), d.maxTunnels(), 1, 1_000_000),
                intIn(l.maxHeaderBytes(), d.maxHeaderBytes(), 1024, 16 * 1024 * 1024),
                intIn(l.maxClientHelloBytes(), d.maxClientHelloBytes(), 512, 16 * 1024 * 1024),
                duration(l.headerTimeout(), d.headerTimeout()), duration(l.handshakeTimeout(), d.handshakeTimeout()),
                duration(l.connectTimeout(), d.connectTimeout()), duration(l.idleTimeout(), d.idleTimeout())));
    }

    private DnsConfig dns(Wire.Dns w) {
        DnsConfig d = DnsConfig.DEFAULTS;
        DnsConfig.DeniedAnswer answer = w.deniedAnswer().flatMap(a -> convert(a, v -> switch (v) {
            case "nxdomain" -> DnsConfig.DeniedAnswer.NXDOMAIN;
            case "refused" -> DnsConfig.DeniedAnswer.REFUSED;
            default -> throw new IllegalArgumentException("must be \"nxdomain\" or \"refused\", found \"" + v + "\"");
        })).orElse(d.deniedAnswer());
        return construct(Origin.EMBEDDED, "proxy.dns", () -> new DnsConfig(answer,
                w.logAllowed().map(Located::value).orElse(d.logAllowed()),
                intIn(w.cacheEntries(), d.cacheEntries(), 0, 10_000_000),
                duration(w.upstreamTimeout(), d.upstreamTimeout()),
                intIn(w.zoneBudget(), d.zoneBudgetPerMinute(), 1, 1_000_000),
                intIn(w.clientRate(), d.clientQueriesPerSecond(), 1, 1_000_000),
                intIn(w.maxLabelLength(), d.maxLabelLength(), 1, 63),
                intIn(w.maxNameLength(), d.maxNameLength(), 1, 253)));
    }

    private McpConfig mcp(Wire.Mcp m) {
        Set<String> names = new HashSet<>();
        List<McpServer> servers = new ArrayList<>();
        for (Wire.McpServer s : m.servers()) {
            String name = name(s.name(), s.at(), s.path(), "MCP server", names);
            List<Rule> allow = rules(s.allow(), MatcherScope.MCP_NAME);
            if (name != null && s.allow().isEmpty()) {
                problems.error(s.at(), s.path() + ".allow", "MCP server '" + name
                        + "': requires at least one allow pattern (use allow = [\"*\"] to allow all tools)");
            }
            Map<String, String> headers = new LinkedHashMap<>();
            s.headers().forEach((k, v) -> headers.put(k, v.value()));
            servers.add(new McpServer(name == null ? "" : name, allow, rules(s.deny(), MatcherScope.MCP_NAME), headers,
                    rules(s.allowResources(), MatcherScope.MCP_NAME), rules(s.denyResources(), MatcherScope.MCP_NAME),
                    rules(s.allowPrompts(), MatcherScope.MCP_NAME), rules(s.denyPrompts(), MatcherScope.MCP_NAME)));
        }
        Endpoint listen = endpoint(m.listen(), defaults.mcp(), -1);
        Path authDir = m.authDir().flatMap(a -> convert(a, Path::of)).orElse(DEFAULT_AUTH_DIR);
        return listen == null ? null : new McpConfig(listen, authDir, servers);
    }

    private CliConfig cli(Wire.Cli c) {
        Set<String> names = new HashSet<>();
        List<CliTool> tools = new ArrayList<>();
        for (Wire.CliTool t : c.tools()) {
            String name = name(t.name(), t.at(), t.path(), "CLI tool", names);
            CliMode mode = t.mode().flatMap(m -> convert(m, v -> switch (v) {
                case "proxy" -> CliMode.PROXY;
                case "direct" -> CliMode.DIRECT;
                default -> throw new IllegalArgumentException("must be \"proxy\" or \"direct\", found \"" + v + "\"");
            })).orElse(CliMode.PROXY);
            if (name != null && mode == CliMode.DIRECT && (!t.allow().isEmpty() || !t.deny().isEmpty())) {
                problems.error(t.at(), t.path(), "CLI tool '" + name + "': allow/deny are not supported in direct mode"
                        + " (the command runs locally, not through the proxy)");
            }
            if (name != null && mode == CliMode.PROXY && t.allow().isEmpty()) {
                problems.error(t.at(), t.path() + ".allow", "CLI tool '" + name + "': proxy mode requires at least one"
                        + " allow pattern (use allow = [\"*\"] to allow all commands)");
            }
            List<String> env = new ArrayList<>();
            for (Located<String> e : t.env()) {
                if (!ENV_NAME.matcher(e.value()).matches()) {
                    problems.error(e.origin(), e.key(), "'" + e.value() + "' is not a valid environment variable name");
                }
                env.add(e.value());
            }
            long maxOutput = t.maxOutputBytes().map(Located::value).orElse(64L * 1024 * 1024);
            if (maxOutput < 1) {
                problems.error(t.maxOutputBytes().get().origin(), t.path() + ".max_output_bytes", "must be positive");
            }
            Optional<String> preset = t.preset().flatMap(p -> convert(p, Binder::presetName));
            if (name != null && mode == CliMode.DIRECT && !t.fixedArgs().isEmpty()) {
                problems.error(t.at(), t.path() + ".fixed_args", "CLI tool '" + name + "': fixed_args apply only in"
                        + " proxy mode (in direct mode the agent runs the binary itself)");
            }
            if (t.fixedArgs().size() > MAX_FIXED_ARGS) {
                problems.error(t.at(), t.path() + ".fixed_args", "more than " + MAX_FIXED_ARGS + " fixed arguments");
            }
            List<String> fixedArgs = t.fixedArgs().stream().map(Located::value).toList();
            tools.add(new CliTool(name == null ? "" : name, mode, rules(t.allow(), MatcherScope.CLI_COMMAND),
                    rules(t.deny(), MatcherScope.CLI_COMMAND), env, duration(t.timeout(), Duration.ofMinutes(10)),
                    maxOutput, preset, fixedArgs));
        }
        Endpoint listen = endpoint(c.listen(), defaults.cli(), -1);
        return listen == null ? null : new CliConfig(listen, tools);
    }

    private static String presetName(String value) {
        if (!PRESET_NAME.matcher(value).matches()) {
            throw new IllegalArgumentException("preset '" + value + "': use a preset name such as \"gh\", \"aws\","
                    + " \"kubectl\" or \"none\"");
        }
        return value;
    }

    private ComposeConfig compose(Wire.Compose c) {
        Optional<ComposeConfig.Build> build = c.build().map(b -> {
            if (b.context().isEmpty()) {
                problems.error(b.at(), "compose.build.context", "context is required in compose.build");
            }
            return new ComposeConfig.Build(b.context().map(Located::value).orElse(""),
                    b.dockerfile().map(Located::value), b.target().map(Located::value));
        });
        return new ComposeConfig(c.image().map(Located::value), build);
    }

    private String name(Optional<Located<String>> name, Origin at, String path, String what, Set<String> seen) {
        if (name.isEmpty() || name.get().value().isBlank()) {
            problems.error(name.map(Located::origin).orElse(at), path + ".name", what + " has empty name");
            return null;
        }
        String value = name.get().value();
        if (!SAFE_NAME.matcher(value).matches()) {
            problems.error(name.get().origin(), path + ".name", what + " '" + value
                    + "': use letters, digits, '.', '_' and '-' only (at most 64)");
            return null;
        }
        if (!seen.add(value)) {
            problems.error(name.get().origin(), path + ".name", what + " '" + value + "': duplicate "
                    + (what.startsWith("MCP") ? "server" : "tool") + " name");
            return null;
        }
        return value;
    }

    private List<Rule> rules(List<Located<String>> patterns, MatcherScope scope) {
        List<Rule> result = new ArrayList<>(patterns.size());
        for (Located<String> p : patterns) {
            try {
                result.add(new Rule(matchers.parse(scope, p.value()), p.origin().toString()));
            } catch (IllegalArgumentException e) {
                problems.error(p.origin(), p.key(), "invalid rule '" + p.value() + "': " + e.getMessage());
            }
        }
        return result;
    }

    private Endpoint endpoint(Optional<Located<String>> value, Endpoint fallback, int defaultPort) {
        if (value.isEmpty()) {
            return fallback;
        }
        return convert(value.get(), v -> Endpoint.parse(v, defaultPort)).orElse(null);
    }

    private Duration duration(Optional<Located<String>> value, Duration fallback) {
        return value.flatMap(v -> convert(v, text -> {
            Duration d = Durations.parse(text);
            if (d.isZero()) {
                throw new IllegalArgumentException("duration must be positive");
            }
            return d;
        })).orElse(fallback);
    }

    private <T> Optional<T> convert(Located<String> value, Function<String, T> parser) {
        try {
            return Optional.of(parser.apply(value.value()));
        } catch (IllegalArgumentException e) {
            problems.error(value.origin(), value.key(), e.getMessage());
            return Optional.empty();
        }
    }

    private <T> T construct(Origin origin, String key, java.util.function.Supplier<T> constructor) {
        try {
            return constructor.get();
        } catch (IllegalArgumentException e) {
            problems.error(origin, key, e.getMessage());
            return null;
        }
    }

    private int intIn(Optional<Located<Long>> value, int fallback, long min, long max) {
        if (value.isEmpty()) {
            return fallback;
        }
        long v = value.get().value();
        if (v < min || v > max) {
            problems.error(value.get().origin(), value.get().key(), "must be between " + min + " and " + max
                    + ", found " + v);
            return fallback;
        }
        return (int) v;
    }

    private static boolean flag(Optional<Located<Boolean>> value) {
        return value.map(Located::value).orElse(false);
    }
}
