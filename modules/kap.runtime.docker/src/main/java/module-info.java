/**
 * The docker runtime: {@code kap up}, {@code exec}, {@code down}, {@code list} and {@code status} through the Docker
 * Engine API (docker-java over Apache HttpClient 5, no {@code docker} command needed). It builds the sidecar image
 * locally from the linked sidecar runtime, puts the app on an internal network whose only other member is the sidecar,
 * and writes the compose overlay that the devcontainer CLI and VS Code use. Exports nothing.
 *
 * @provides kap.cli.spi.RuntimeProvider {@code docker}
 */
module kap.runtime.docker {
    requires kap.cli;
    requires kap.sidecar;
    requires com.github.dockerjava.api;
    requires com.github.dockerjava.core;
    requires com.github.dockerjava.transport;
    requires com.github.dockerjava.transport.httpclient5;
    requires org.apache.commons.compress;
    // only to quiet HttpClient 5's INFO lines on the terminal (Engine)
    requires java.logging;

    provides kap.cli.spi.RuntimeProvider with kap.runtime.docker.DockerRuntimeProvider;
}
