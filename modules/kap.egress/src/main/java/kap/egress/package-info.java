/**
 * The egress proxy's API: {@link kap.egress.Egress} to start one, {@link kap.egress.EgressProvider} for the sidecar.
 */
package kap.egress;
