/**
 * The capsule side of kap's CLI proxy, and the SSH connect bridge. It requires nothing but {@code java.base}, so it
 * runs on a minimal jlinked runtime in a capsule that has only {@code /bin/sh} and libc.
 *
 * <p>Main types:
 * <ul>
 *     <li>{@link kap.shim.Shim}: the client behind every tool shim. A shim script written by the sidecar runs
 *     {@code java -m kap.shim/kap.shim.Shim tty=<flags> "$0" "$@"}; the tool runs on the sidecar and its output,
 *     exit code and denials come back;</li>
 *     <li>{@link kap.shim.ConnectBridge}: an SSH {@code ProxyCommand} that tunnels through the egress proxy's
 *     {@code CONNECT}: {@code java -m kap.shim/kap.shim.ConnectBridge %h %p};</li>
 *     <li>{@link kap.shim.Wire}, {@link kap.shim.Head}, {@link kap.shim.FrameReader}, {@link kap.shim.FrameWriter}:
 *     the wire protocol, shared with the sidecar's {@code kap.clix}, so both sides use one codec.</li>
 * </ul>
 */
module kap.shim {
    exports kap.shim;
}
