/**
 * The egress proxy's implementation; not exported. {@link kap.egress.internal.EgressServer} accepts connections,
 * {@code ClientSession} reads strict request heads, {@code Gate} judges targets in two layers, {@code Tunnel} and
 * {@code Forwarder} carry CONNECT and plain HTTP, {@code Relay} copies bytes both ways.
 */
package kap.egress.internal;
