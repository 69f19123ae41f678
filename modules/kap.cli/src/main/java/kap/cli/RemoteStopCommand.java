package kap.cli;

import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import kap.remote.RemoteHome;

/**
 * {@code kap remote stop}: stops the daemon; every phone's open stream closes.
 */
@Command(name = "stop", mixinStandardHelpOptions = true, description = "Stop the remote daemon.")
final class RemoteStopCommand implements Callable<Integer> {

    @Mixin
    RemoteCommand.Home home;

    @Override
    public Integer call() throws Exception {
        RemoteHome h = home.home();
        Optional<Long> pid = h.runningPid();
        if (pid.isEmpty()) {
            if (h.recordedPid().isPresent()) {
                h.removePid();
                System.err.println("[remote] not running (cleaned up stale pid file)");
            } else {
                System.err.println("[remote] not running");
            }
            return 0;
        }
        System.err.println("[remote] stopping daemon (pid " + pid.get() + ")");
        ProcessHandle process = ProcessHandle.of(pid.get()).orElseThrow();
        if (h.send("stop").isEmpty()) {
            process.destroy();
        }
        try {
            process.onExit().get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            process.destroy();
            process.onExit().get(5, TimeUnit.SECONDS);
        }
        h.removePid();
        return 0;
    }
}
