package kap.policy;

/**
 * How a CLI tool runs.
 */
public enum CliMode {
    /** The tool runs on the sidecar; its credentials never enter the capsule. */
    PROXY,
    /** The shim receives the credentials and runs the real binary in the capsule (the original's behaviour). */
    DIRECT
}
