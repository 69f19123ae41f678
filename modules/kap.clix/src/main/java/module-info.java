/**
 * The CLI proxy: tools such as {@code gh}, {@code aws} and {@code kubectl} run on the sidecar, where their
 * credentials are, and the capsule's shim streams their input and output (see {@code docs/CLIX.md}).
 *
 * <p>The listener ({@code [cli] listen}, default {@code :3130}) speaks the shim protocol of {@code kap.shim}. For each
 * command it reads the arguments every way the tool's flags allow, applies the tool's preset and its allow and deny
 * patterns, records one audit event, and then runs the tool with argv only (never a shell) in a cleared environment,
 * in the workspace directory the shim stands in, streaming output back with configured secrets redacted. It also
 * writes the shim scripts into the shared shim directory on start and on every policy reload.
 *
 * <p>Sidecar-side settings come from the environment ({@code KAP_CLIX_WORKSPACE}, {@code KAP_CLIX_SHIM_DIR}, ...;
 * see {@code docs/CLIX.md}).
 *
 * @provides kap.sidecar.spi.ListenerProvider the {@code clix} listener, started when {@code [cli]} is present
 * @uses kap.policy.spi.MatcherProvider to compile the presets' deny patterns
 */
module kap.clix {
    requires kap.sidecar;
    requires kap.shim;

    uses kap.policy.spi.MatcherProvider;

    provides kap.sidecar.spi.ListenerProvider with kap.clix.ClixProvider;
}
