/**
 * Small programs the runtimes run from the sidecar image: the container health check and the isolation probes that
 * {@code kap status} runs in the capsule's network namespace. Not exported; run with
 * {@code java -m kap.sidecar/kap.sidecar.probe.HealthProbe} and {@code .../IsolationProbe}.
 */
package kap.sidecar.probe;
