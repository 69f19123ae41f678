package kap.clix;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Stops a tool with everything it started. The descendants are listed before the tool is signalled: once it dies,
 * its children are re-parented and can no longer be found through it.
 */
final class ProcessTree {

    private ProcessTree() {
    }

    /**
     * SIGTERM to the tool and every descendant, then SIGKILL to whatever is left after the grace period.
     *
     * @param process the tool
     * @param grace time between the two signals
     */
    static void kill(Process process, Duration grace) {
        List<ProcessHandle> tree = new ArrayList<>();
        tree.add(process.toHandle());
        process.descendants().forEach(tree::add);
        tree.forEach(ProcessHandle::destroy);
        try {
            process.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // SIGKILL below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.descendants().forEach(tree::add);
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }
}
