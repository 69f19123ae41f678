/**
 * The sidecar host. Start it with {@link kap.sidecar.Sidecar#start(kap.sidecar.SidecarOptions)}.
 */
package kap.sidecar;
