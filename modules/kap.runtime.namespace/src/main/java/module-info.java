/**
 * The {@code namespace} runtime: {@code kap run -- CMD} on Linux without Docker.
 *
 * <p>The host side ({@link kap.runtime.namespace.NamespaceRuntimeProvider}) starts the sidecar in the {@code kap}
 * process on loopback ports, exposes each listener as a Unix socket in a private runtime directory, and starts the
 * capsule with {@code unshare(1)}: new user, network, mount, PID and IPC namespaces. Inside, the bridge
 * ({@link kap.runtime.namespace.BridgeMain}, PID 1 of the capsule) brings loopback up, masks kap's own files, points
 * {@code /etc/resolv.conf} at itself, listens on {@code 127.0.0.1} (3128 egress, 3129 MCP, 3130 CLI, 53 DNS over UDP
 * and TCP), carries each connection to the Unix sockets, and runs the command without capabilities, under a seccomp
 * filter that refuses Unix sockets, io_uring and terminal injection. {@code kap remote} runs commands in a running
 * capsule through {@code exec.sock} in the runtime directory; the bridge starts them exactly as confined as the
 * command. See {@code docs/RUN.md}.
 *
 * @provides kap.cli.spi.RuntimeProvider {@code namespace}
 */
module kap.runtime.namespace {
    requires kap.cli;
    requires kap.sidecar;
    // sun.misc.Signal: kap run forwards SIGINT, SIGTERM and SIGHUP to the command instead of exiting
    requires jdk.unsupported;
    // SO_PEERCRED: only the capsule's own user may run commands in it through exec.sock
    requires jdk.net;

    provides kap.cli.spi.RuntimeProvider with kap.runtime.namespace.NamespaceRuntimeProvider;
}
