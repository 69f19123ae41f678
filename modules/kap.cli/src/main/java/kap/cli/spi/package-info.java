/**
 * The container-runtime SPI: each way of running a capsule (Docker, Linux namespaces, later Kubernetes) is a
 * {@link kap.cli.spi.RuntimeProvider} found with {@link java.util.ServiceLoader} and declared only in
 * {@code module-info.java}. Running capsules are recorded in the {@link kap.cli.spi.CapsuleRegistry}, so
 * {@code kap list}, {@code kap status} and the remote daemon see every capsule on the host, whatever its runtime.
 */
package kap.cli.spi;
