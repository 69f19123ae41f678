/**
 * The shim client, the SSH connect bridge and the wire protocol between the shim and the sidecar (see
 * {@link kap.shim.Wire}).
 */
package kap.shim;
