/**
 * Extension point for sidecar listeners. Each component (egress, DNS, MCP, CLI proxy) provides one
 * {@link kap.sidecar.spi.ListenerProvider} in its {@code module-info.java}; the sidecar starts every provider found.
 */
package kap.sidecar.spi;
