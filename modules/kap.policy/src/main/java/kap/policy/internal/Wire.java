package kap.policy.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The wire form of {@code kap.toml}: what the file says, typed but not yet validated, every value with its line.
 * Version 1 of the format; a breaking format would get new types, not new branches here.
 */
final class Wire {

    private Wire() {
    }

    record Config(Path file, Optional<Located<Boolean>> sshAgent, Optional<Located<Boolean>> sshSigning,
                  Map<String, Located<String>> env, Optional<Setup> setup, Proxy proxy, Optional<Mcp> mcp,
                  Optional<Cli> cli, Optional<Compose> compose) {
    }

    record Setup(Optional<Located<Boolean>> claudeCode, Optional<Located<Boolean>> codex,
                 Optional<Located<Boolean>> gh) {
    }

    record Proxy(Optional<Located<String>> listen, Optional<Located<String>> dnsListen,
                 Optional<Located<String>> adminListen, Optional<List<Located<String>>> dnsUpstream, Network network,
                 Observe observe, Limits limits, Dns dns) {
    }

    record Network(List<Located<String>> allow, List<Located<String>> deny, List<Located<String>> unsafeAllowCidrs) {
    }

    record Observe(Optional<Located<String>> log, Optional<Located<Long>> logMaxBytes,
                   Optional<Located<Long>> logKeep) {
    }

    record Limits(Optional<Located<Long>> maxConnections, Optional<Located<Long>> maxTunnels,
                  Optional<Located<Long>> maxHeaderBytes, Optional<Located<Long>> maxClientHelloBytes,
                  Optional<Located<String>> headerTimeout, Optional<Located<String>> handshakeTimeout,
                  Optional<Located<String>> connectTimeout, Optional<Located<String>> idleTimeout) {
    }

    record Dns(Optional<Located<String>> deniedAnswer, Optional<Located<Boolean>> logAllowed,
               Optional<Located<Long>> cacheEntries, Optional<Located<String>> upstreamTimeout,
               Optional<Located<Long>> zoneBudget, Optional<Located<Long>> clientRate,
               Optional<Located<Long>> maxLabelLength, Optional<Located<Long>> maxNameLength) {
    }

    record Mcp(Origin at, Optional<Located<String>> listen, Optional<Located<String>> authDir,
               List<McpServer> servers) {
    }

    record McpServer(Origin at, String path, Optional<Located<String>> name, List<Located<String>> allow,
                     List<Located<String>> deny, Map<String, Located<String>> headers,
                     List<Located<String>> allowResources, List<Located<String>> denyResources,
                     List<Located<String>> allowPrompts, List<Located<String>> denyPrompts) {
    }

    record Cli(Origin at, Optional<Located<String>> listen, List<CliTool> tools) {
    }

    record CliTool(Origin at, String path, Optional<Located<String>> name, Optional<Located<String>> mode,
                   List<Located<String>> allow, List<Located<String>> deny, List<Located<String>> env,
                   Optional<Located<String>> timeout, Optional<Located<Long>> maxOutputBytes,
                   Optional<Located<String>> preset, List<Located<String>> fixedArgs) {
    }

    record Compose(Origin at, Optional<Located<String>> image, Optional<Build> build) {
    }

    record Build(Origin at, Optional<Located<String>> context, Optional<Located<String>> dockerfile,
                 Optional<Located<String>> target) {
    }
}
