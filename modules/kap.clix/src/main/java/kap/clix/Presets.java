package kap.clix;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;

import kap.policy.CliTool;
import kap.policy.FlagSpec;
import kap.policy.Rule;
import kap.policy.spi.Matcher;
import kap.policy.spi.MatcherProvider;
import kap.policy.spi.MatcherScope;

/**
 * The known-tool presets: {@code gh}, {@code aws} and {@code kubectl}. A tool uses the preset its {@code preset} key
 * names, or else the preset named like the tool; {@code preset = "none"} turns presets off.
 *
 * <p>Flags are declared only where every subcommand of the tool reads them the same way: a flag declared wrongly
 * (a switch as taking a value, or the reverse) would let a word slip past a deny rule, while an undeclared flag is
 * read both ways and judged under both.
 */
final class Presets {

    /** The {@code preset} value that turns presets off. */
    static final String NONE = "none";

    private static final Map<String, Preset> ALL = Map.of(
            "gh", preset("gh",
                    new FlagSpec(Set.of("--repo", "--hostname", "--method", "--jq", "--template", "--json", "--header",
                            "--field", "--raw-field", "--input", "--limit", "--body", "--body-file", "--title",
                            "--label", "--assignee", "--state", "--author", "--base", "--head", "--milestone",
                            "--reviewer", "--search"),
                            Set.of("--help", "-h", "--version", "--web", "--paginate", "--silent", "--verbose"),
                            Map.of("-R", "--repo", "-X", "--method", "-q", "--jq", "-L", "--limit")),
                    List.of("GH_TOKEN", "GITHUB_TOKEN", "GH_ENTERPRISE_TOKEN", "GITHUB_ENTERPRISE_TOKEN", "GH_HOST"),
                    Set.of("GH_HOST"),
                    Map.of("GH_PROMPT_DISABLED", "1", "GH_NO_UPDATE_NOTIFIER", "1", "GH_SPINNER_DISABLED", "1"),
                    List.of("auth token", "auth login", "auth logout", "auth refresh", "auth git-credential",
                            "auth setup-git", "auth status --show-token", "auth status -t", "config set",
                            "extension install", "extension upgrade", "alias set", "alias import")),
            "aws", preset("aws",
                    new FlagSpec(Set.of("--endpoint-url", "--output", "--query", "--profile", "--region", "--color",
                            "--ca-bundle", "--cli-read-timeout", "--cli-connect-timeout", "--cli-binary-format"),
                            Set.of("--debug", "--no-verify-ssl", "--no-paginate", "--version", "--no-sign-request",
                                    "--no-cli-pager", "--cli-auto-prompt", "--no-cli-auto-prompt"),
                            Map.of()),
                    List.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_DEFAULT_REGION",
                            "AWS_REGION", "AWS_PROFILE", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE",
                            "AWS_ENDPOINT_URL", "AWS_CA_BUNDLE"),
                    Set.of("AWS_DEFAULT_REGION", "AWS_REGION", "AWS_PROFILE", "AWS_CONFIG_FILE",
                            "AWS_SHARED_CREDENTIALS_FILE", "AWS_ENDPOINT_URL", "AWS_CA_BUNDLE"),
                    // no pager, no prompt, and never the instance metadata service of the sidecar's host
                    Map.of("AWS_PAGER", "", "AWS_CLI_AUTO_PROMPT", "off", "AWS_EC2_METADATA_DISABLED", "true"),
                    List.of("configure export-credentials", "configure get", "configure set", "configure import",
                            "--endpoint-url", "--debug", "--no-verify-ssl", "--ca-bundle", "sts get-session-token",
                            "sts get-federation-token", "sts assume-role*", "ecr get-login-password",
                            "ecr get-authorization-token", "ecr-public get-login-password",
                            "ecr-public get-authorization-token", "codeartifact get-authorization-token",
                            "eks get-token", "sso get-role-credentials", "iam create-access-key",
                            "rds generate-db-auth-token")),
            "kubectl", preset("kubectl",
                    new FlagSpec(Set.of("--kubeconfig", "--context", "--cluster", "--user", "--namespace", "--server",
                            "--token", "--as", "--as-group", "--as-uid", "--certificate-authority",
                            "--client-certificate", "--client-key", "--request-timeout", "--tls-server-name",
                            "--cache-dir", "--username", "--password", "--output", "--selector"),
                            Set.of("--insecure-skip-tls-verify", "--help", "-h", "--all-namespaces"),
                            Map.of("-n", "--namespace", "-s", "--server", "-o", "--output", "-l", "--selector",
                                    "-A", "--all-namespaces")),
                    List.of("KUBECONFIG"),
                    Set.of("KUBECONFIG"),
                    Map.of(),
                    List.of("config view --raw", "config set*", "config unset", "config delete-*",
                            "config rename-context", "config use-context", "create token", "--token", "--server",
                            "--kubeconfig", "--insecure-skip-tls-verify", "--certificate-authority",
                            "--client-certificate", "--client-key", "--username", "--password",
                            "--tls-server-name")));

    private Presets() {
    }

    /**
     * The preset that applies to a tool.
     *
     * @param tool the configured tool
     * @return the preset ({@link Preset#NONE} when none applies), or empty if the tool names an unknown preset
     */
    static Optional<Preset> of(CliTool tool) {
        if (tool.preset().isEmpty()) {
            return Optional.of(ALL.getOrDefault(tool.name(), Preset.NONE));
        }
        String name = tool.preset().get();
        return NONE.equals(name) ? Optional.of(Preset.NONE) : Optional.ofNullable(ALL.get(name));
    }

    /**
     * The preset names, for messages.
     *
     * @return names
     */
    static List<String> names() {
        return ALL.keySet().stream().sorted().toList();
    }

    private static Preset preset(String name, FlagSpec flags, List<String> env, Set<String> plain,
                                 Map<String, String> fixedEnv, List<String> deny) {
        MatcherProvider commands = ServiceLoader.load(MatcherProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.scope() == MatcherScope.CLI_COMMAND).findFirst()
                .orElseThrow(() -> new IllegalStateException("kap.policy's CLI command matcher is missing"));
        List<Rule> rules = deny.stream().map(pattern -> {
            Matcher m = commands.parse(pattern, other -> commands.parse(other, null));
            return new Rule(m, "kap's " + name + " preset");
        }).toList();
        return new Preset(name, flags, env, plain, fixedEnv, rules);
    }
}
