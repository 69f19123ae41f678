package kap.policy.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Merges the global file into the project file, by the original kap's rules:
 * <ul>
 *     <li>{@code proxy.network} lists: global entries first, then the project's (no de-duplication);</li>
 *     <li>CLI tools and MCP servers: a global entry is appended only if the project has none of that name (the
 *     project's entry wins whole, with no field merge); the table is created in the project if absent;</li>
 *     <li>{@code [env]}: global keys fill gaps, project keys win;</li>
 *     <li>everything else comes from the project only.</li>
 * </ul>
 * Each value keeps the file and line it came from, so a bad global rule is reported against the global file.
 */
final class GlobalMerge {

    private GlobalMerge() {
    }

    static Wire.Config merge(Wire.Config project, Wire.Config global) {
        Wire.Proxy p = project.proxy();
        Wire.Network network = new Wire.Network(
                concat(global.proxy().network().allow(), p.network().allow()),
                concat(global.proxy().network().deny(), p.network().deny()),
                concat(global.proxy().network().unsafeAllowCidrs(), p.network().unsafeAllowCidrs()));
        Wire.Proxy proxy = new Wire.Proxy(p.listen(), p.dnsListen(), p.adminListen(), p.dnsUpstream(), network,
                p.observe(), p.limits(), p.dns());
        Map<String, Located<String>> env = new LinkedHashMap<>(global.env());
        env.putAll(project.env());
        return new Wire.Config(project.file(), project.sshAgent(), project.sshSigning(), env, project.setup(), proxy,
                mergeMcp(project.mcp(), global.mcp()), mergeCli(project.cli(), global.cli()), project.compose());
    }

    private static Optional<Wire.Mcp> mergeMcp(Optional<Wire.Mcp> project, Optional<Wire.Mcp> global) {
        if (global.isEmpty()) {
            return project;
        }
        Wire.Mcp base = project.orElseGet(() -> new Wire.Mcp(global.get().at(), Optional.empty(), Optional.empty(),
                List.of()));
        Set<String> names = base.servers().stream().flatMap(s -> s.name().stream()).map(Located::value)
                .collect(Collectors.toSet());
        List<Wire.McpServer> servers = new ArrayList<>(base.servers());
        global.get().servers().stream()
                .filter(s -> s.name().isEmpty() || !names.contains(s.name().get().value()))
                .forEach(servers::add);
        return Optional.of(new Wire.Mcp(base.at(), base.listen(), base.authDir(), servers));
    }

    private static Optional<Wire.Cli> mergeCli(Optional<Wire.Cli> project, Optional<Wire.Cli> global) {
        if (global.isEmpty()) {
            return project;
        }
        Wire.Cli base = project.orElseGet(() -> new Wire.Cli(global.get().at(), Optional.empty(), List.of()));
        Set<String> names = base.tools().stream().flatMap(t -> t.name().stream()).map(Located::value)
                .collect(Collectors.toSet());
        List<Wire.CliTool> tools = new ArrayList<>(base.tools());
        global.get().tools().stream()
                .filter(t -> t.name().isEmpty() || !names.contains(t.name().get().value()))
                .forEach(tools::add);
        return Optional.of(new Wire.Cli(base.at(), base.listen(), tools));
    }

    private static <T> List<T> concat(List<T> first, List<T> second) {
        List<T> result = new ArrayList<>(first);
        result.addAll(second);
        return result;
    }
}
