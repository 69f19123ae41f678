package kap.policy.internal;

import java.util.List;
import java.util.Optional;

/**
 * Reads a parsed TOML document into {@link Wire} records: types are checked, unknown keys warned about, nothing is
 * validated yet.
 */
final class WireReader {

    private WireReader() {
    }

    static Wire.Config read(TomlDocument doc, Problems problems) {
        TableReader root = TableReader.root(doc, problems);
        Optional<Located<Boolean>> sshAgent = root.bool("ssh_agent");
        Optional<Located<Boolean>> sshSigning = root.bool("ssh_signing");
        var env = root.stringMap("env");
        Optional<Wire.Setup> setup = root.table("setup").map(WireReader::setup);
        Wire.Proxy proxy = proxy(root.table("proxy"));
        Optional<Wire.Mcp> mcp = root.table("mcp").map(WireReader::mcp);
        Optional<Wire.Cli> cli = root.table("cli").map(WireReader::cli);
        Optional<Wire.Compose> compose = root.table("compose").map(WireReader::compose);
        root.finish();
        return new Wire.Config(doc.file(), sshAgent, sshSigning, env, setup, proxy, mcp, cli, compose);
    }

    private static Wire.Setup setup(TableReader t) {
        var result = new Wire.Setup(t.bool("claude_code"), t.bool("codex"), t.bool("gh"));
        t.finish();
        return result;
    }

    private static Wire.Proxy proxy(Optional<TableReader> table) {
        if (table.isEmpty()) {
            return new Wire.Proxy(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    new Wire.Network(List.of(), List.of(), List.of()), observe(Optional.empty()),
                    limits(Optional.empty()), dns(Optional.empty()));
        }
        TableReader t = table.get();
        var result = new Wire.Proxy(t.string("listen"), t.string("dns_listen"), t.string("admin_listen"),
                t.stringOrStrings("dns_upstream"), network(t.table("network")), observe(t.table("observe")),
                limits(t.table("limits")), dns(t.table("dns")));
        t.finish();
        return result;
    }

    private static Wire.Network network(Optional<TableReader> table) {
        if (table.isEmpty()) {
            return new Wire.Network(List.of(), List.of(), List.of());
        }
        TableReader t = table.get();
        var result = new Wire.Network(t.strings("allow"), t.strings("deny"), t.strings("unsafe_allow_cidrs"));
        t.finish();
        return result;
    }

    private static Wire.Observe observe(Optional<TableReader> table) {
        if (table.isEmpty()) {
            return new Wire.Observe(Optional.empty(), Optional.empty(), Optional.empty());
        }
        TableReader t = table.get();
        var result = new Wire.Observe(t.string("log"), t.integer("log_max_bytes"), t.integer("log_keep"));
        t.finish();
        return result;
    }

    private static Wire.Limits limits(Optional<TableReader> table) {
        if (table.isEmpty()) {
            return new Wire.Limits(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        }
        TableReader t = table.get();
        var result = new Wire.Limits(t.integer("max_connections"), t.integer("max_tunnels"),
                t.integer("max_header_bytes"), t.integer("max_client_hello_bytes"), t.duration("header_timeout"),
                t.duration("handshake_timeout"), t.duration("connect_timeout"), t.duration("idle_timeout"));
        t.finish();
        return result;
    }

    private static Wire.Dns dns(Optional<TableReader> table) {
        if (table.isEmpty()) {
            return new Wire.Dns(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        }
        TableReader t = table.get();
        var result = new Wire.Dns(t.string("denied_answer"), t.bool("log_allowed"), t.integer("cache_entries"),
                t.duration("upstream_timeout"), t.integer("zone_budget"), t.integer("client_rate"),
                t.integer("max_label_length"), t.integer("max_name_length"));
        t.finish();
        return result;
    }

    private static Wire.Mcp mcp(TableReader t) {
        var servers = t.tables("servers").stream().map(WireReader::mcpServer).toList();
        var result = new Wire.Mcp(t.at(), t.string("listen"), t.string("auth_dir"), servers);
        t.finish();
        return result;
    }

    private static Wire.McpServer mcpServer(TableReader t) {
        var result = new Wire.McpServer(t.at(), t.path(), t.string("name"), t.strings("allow"), t.strings("deny"),
                t.stringMap("headers"), t.strings("allow_resources"), t.strings("deny_resources"),
                t.strings("allow_prompts"), t.strings("deny_prompts"));
        t.finish();
        return result;
    }

    private static Wire.Cli cli(TableReader t) {
        var tools = t.tables("tools").stream().map(WireReader::cliTool).toList();
        var result = new Wire.Cli(t.at(), t.string("listen"), tools);
        t.finish();
        return result;
    }

    private static Wire.CliTool cliTool(TableReader t) {
        var result = new Wire.CliTool(t.at(), t.path(), t.string("name"), t.string("mode"), t.strings("allow"),
                t.strings("deny"), t.strings("env"), t.duration("timeout"), t.integer("max_output_bytes"),
                t.string("preset"), t.strings("fixed_args"));
        t.finish();
        return result;
    }

    private static Wire.Compose compose(TableReader t) {
        Optional<Wire.Build> build = t.table("build")
                .map(b -> {
                    var r = new Wire.Build(b.at(), b.string("context"), b.string("dockerfile"), b.string("target"));
                    b.finish();
                    return r;
                });
        var result = new Wire.Compose(t.at(), t.string("image"), build);
        t.finish();
        return result;
    }
}
