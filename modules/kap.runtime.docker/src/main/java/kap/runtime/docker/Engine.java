package kap.runtime.docker;

import java.time.Duration;
import java.util.Map;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;

import kap.cli.spi.RuntimeProvider;

/**
 * The connection to the Docker engine: {@code DOCKER_HOST}, else the local socket.
 */
final class Engine {

    static final String DEFAULT_HOST = "unix:///var/run/docker.sock";
    /**
     * HttpClient 5 logs (through slf4j to java.util.logging) each retry of a request the engine did not answer, as
     * INFO on the terminal, before kap says the same thing in one line. Held here: the logging framework keeps its
     * loggers, and their levels, only as long as someone references them.
     */
    private static final java.util.logging.Logger HTTP_CLIENT_LOG = quiet("org.apache.hc.client5");

    private Engine() {
    }

    private static java.util.logging.Logger quiet(String name) {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
        logger.setLevel(java.util.logging.Level.WARNING);
        return logger;
    }

    static String host(Map<String, String> env) {
        String h = env.get("DOCKER_HOST");
        return h == null || h.isBlank() ? DEFAULT_HOST : h;
    }

    static DockerClient connect(Map<String, String> env) {
        return connect(env, Duration.ofMinutes(30));
    }

    static DockerClient connect(Map<String, String> env, Duration responseTimeout) {
        DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(host(env)).build();
        ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder().dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig()).maxConnections(32).connectionTimeout(Duration.ofSeconds(5))
                .responseTimeout(responseTimeout).build();
        return DockerClientImpl.getInstance(config, http);
    }

    /** Pings the engine with a short timeout; never throws. */
    static RuntimeProvider.Availability availability(Map<String, String> env) {
        String host = host(env);
        try (DockerClient docker = connect(env, Duration.ofSeconds(3))) {
            docker.pingCmd().exec();
            return new RuntimeProvider.Availability(true, host);
        } catch (Exception e) {
            return new RuntimeProvider.Availability(false, "the Docker engine at " + host + " does not answer ("
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())
                    + "); start dockerd, or set DOCKER_HOST");
        }
    }
}
