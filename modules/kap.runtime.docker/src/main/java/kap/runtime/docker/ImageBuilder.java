package kap.runtime.docker;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.command.PullImageResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.BuildResponseItem;
import com.github.dockerjava.api.model.PullResponseItem;

/**
 * Builds and pulls images with progress lines ({@code [image] Step 2/5 : COPY ...}).
 */
final class ImageBuilder {

    private final DockerClient docker;
    private final PrintStream progress;

    ImageBuilder(DockerClient docker, PrintStream progress) {
        this.docker = docker;
        this.progress = progress;
    }

    boolean exists(String reference) {
        try {
            docker.inspectImageCmd(reference).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    /**
     * Builds from a tar context.
     *
     * @param context the context tar file
     * @param tag the tag
     * @param dockerfile the Dockerfile inside the context, or empty for {@code Dockerfile}
     * @param target the stage, or empty
     * @param args build arguments
     * @return image id
     * @throws IOException if the build fails
     */
    String build(Path context, String tag, Optional<String> dockerfile, Optional<String> target,
                 Map<String, String> args) throws IOException {
        try (InputStream in = Files.newInputStream(context)) {
            var cmd = docker.buildImageCmd(in).withTags(Set.of(tag)).withPull(false).withRemove(true)
                    .withForcerm(true).withLabels(Map.of(Names.ROLE, "image"));
            dockerfile.ifPresent(cmd::withDockerfilePath);
            target.ifPresent(cmd::withTarget);
            args.forEach(cmd::withBuildArg);
            return cmd.exec(new BuildImageResultCallback() {
                @Override
                public void onNext(BuildResponseItem item) {
                    if (item.getStream() != null && !item.getStream().isBlank()) {
                        item.getStream().lines().filter(l -> !l.isBlank())
                                .forEach(l -> progress.println("[image] " + l.strip()));
                    }
                    super.onNext(item);
                }
            }).awaitImageId();
        } catch (RuntimeException e) {
            throw new IOException("building " + tag + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Pulls an image that is not here.
     *
     * @param reference image reference
     * @throws IOException if it cannot be pulled (for example, no registry is reachable)
     */
    void pull(String reference) throws IOException {
        progress.println("[image] pulling " + reference);
        try {
            docker.pullImageCmd(reference).exec(new PullImageResultCallback() {
                @Override
                public void onNext(PullResponseItem item) {
                    if (item.getStatus() != null && item.getId() == null) {
                        progress.println("[image] " + item.getStatus());
                    }
                    super.onNext(item);
                }
            }).awaitCompletion();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while pulling " + reference, e);
        } catch (RuntimeException e) {
            throw new IOException("image " + reference + " is not here and cannot be pulled: " + e.getMessage(), e);
        }
    }
}
