/**
 * kap.egress: the egress proxy, the capsule's only way to the world.
 *
 * <p>One listener (default {@code :3128}) serves CONNECT tunnels and plain HTTP requests in absolute form. Every
 * request is judged on its own against the live policy in two layers: the normalised host and port first, then every
 * address the name resolves to. The proxy dials exactly the addresses it vetted, reads the whole TLS ClientHello of a
 * tunnel to check its SNI, refuses ambiguous framing, and writes one audit event per decision. See
 * {@code docs/EGRESS.md}.
 *
 * <p>Main type: {@link kap.egress.Egress}.
 *
 * @provides kap.sidecar.spi.ListenerProvider {@code egress}, order 10, always enabled
 */
module kap.egress {
    requires transitive kap.sidecar;

    exports kap.egress;

    provides kap.sidecar.spi.ListenerProvider with kap.egress.EgressProvider;
}
