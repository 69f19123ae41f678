/**
 * The container-runtime SPI: each way of running a capsule (Docker, Linux namespaces, later Kubernetes) is a
 * {@link kap.cli.spi.RuntimeProvider} found with {@link java.util.ServiceLoader} and declared only in
 * {@code module-info.java}. Running capsules are recorded in the {@link kap.cli.spi.CapsuleRegistry}, so
 * {@code kap list}, {@code kap status} and the remote daemon see every capsule on the host, whatever its runtime.
 *
 * <p>A runtime that brings up a project from its {@code .devcontainer/} files ({@code kap up}, {@code exec},
 * {@code down}, {@code status}) returns a {@link kap.cli.spi.ProjectRuntime}, which takes a
 * {@link kap.cli.spi.ProjectSpec} and {@link kap.cli.spi.ExecRequest}s and reports
 * {@link kap.cli.spi.ProbeResult}s; one that can also describe the capsule as a compose overlay for the devcontainer
 * CLI implements {@link kap.cli.spi.ComposeSupport}.
 */
package kap.cli.spi;
