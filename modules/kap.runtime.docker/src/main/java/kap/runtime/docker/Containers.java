package kap.runtime.docker;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Frame;

/**
 * Small container operations shared by the runtime's steps.
 */
final class Containers {

    /** Label holding a hash of how a container was created; a different hash means recreate. */
    static final String SPEC = "dev.kap.spec";

    private final DockerClient docker;

    Containers(DockerClient docker) {
        this.docker = docker;
    }

    Optional<InspectContainerResponse> inspect(String nameOrId) {
        try {
            return Optional.of(docker.inspectContainerCmd(nameOrId).exec());
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    /** Every container of every capsule (running or not), or of one capsule. */
    List<Container> labelled(Optional<String> capsule) {
        String filter = capsule.map(id -> Names.CAPSULE + "=" + id).orElse(Names.CAPSULE);
        return docker.listContainersCmd().withShowAll(true).withLabelFilter(List.of(filter)).exec();
    }

    void remove(String nameOrId) {
        try {
            docker.removeContainerCmd(nameOrId).withForce(true).withRemoveVolumes(false).exec();
        } catch (NotFoundException e) {
            // already gone
        }
    }

    /**
     * Whether an existing container can be reused: it exists and was created from the same spec.
     *
     * @param name container name
     * @param spec hash of the create request
     * @return the container id to reuse, or empty after removing a stale one
     */
    Optional<String> reusable(String name, String spec) {
        Optional<InspectContainerResponse> c = inspect(name);
        if (c.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> labels = c.get().getConfig().getLabels();
        if (labels != null && spec.equals(labels.get(SPEC))) {
            return Optional.of(c.get().getId());
        }
        remove(c.get().getId());
        return Optional.empty();
    }

    void startIfStopped(String id) {
        var state = docker.inspectContainerCmd(id).exec().getState();
        if (!Boolean.TRUE.equals(state.getRunning())) {
            docker.startContainerCmd(id).exec();
        }
    }

    boolean running(String id) {
        return inspect(id).map(c -> Boolean.TRUE.equals(c.getState().getRunning())).orElse(false);
    }

    int restarts(String id) {
        return inspect(id).map(c -> c.getRestartCount() == null ? 0 : c.getRestartCount()).orElse(0);
    }

    /** The last lines of a container's output, for error messages. */
    String tail(String id, int lines) {
        List<String> out = new ArrayList<>();
        try {
            docker.logContainerCmd(id).withStdOut(true).withStdErr(true).withTail(lines)
                    .exec(new ResultCallback.Adapter<Frame>() {
                        @Override
                        public void onNext(Frame frame) {
                            out.add(new String(frame.getPayload()).stripTrailing());
                        }
                    }).awaitCompletion(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            out.add("(logs unavailable: " + e.getMessage() + ")");
        }
        return String.join("\n", out);
    }
}
