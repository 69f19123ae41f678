package kap.policy;

import java.util.Optional;

/**
 * {@code [compose]}: where the sidecar image comes from. A build wins over an image.
 *
 * @param image image reference
 * @param build build instructions
 */
public record ComposeConfig(Optional<String> image, Optional<Build> build) {

    /**
     * {@code build = { context, dockerfile, target }}.
     *
     * @param context build context, relative to {@code .devcontainer/}
     * @param dockerfile Dockerfile path
     * @param target build stage
     */
    public record Build(String context, Optional<String> dockerfile, Optional<String> target) {
    }
}
