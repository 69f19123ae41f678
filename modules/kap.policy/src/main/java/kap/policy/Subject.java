package kap.policy;

/**
 * What a rule is asked about. Subjects are normalised when they are built, so matchers compare canonical forms only.
 */
public sealed interface Subject permits HostPort, McpName, CommandLine {
}
