package kap.cli;

import java.util.Optional;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import kap.remote.RemoteHome;

/**
 * {@code kap remote status}: whether the daemon runs, where, and the paired devices.
 */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Show the daemon's state and paired devices.")
final class RemoteStatusCommand implements Callable<Integer> {

    @Mixin
    RemoteCommand.Home home;

    @Override
    public Integer call() throws Exception {
        RemoteHome h = home.home();
        Optional<Long> pid = h.runningPid();
        if (pid.isPresent()) {
            Optional<JsonNode> status = h.send("status");
            System.out.println("Daemon: running (pid " + pid.get() + ")" + status.map(s -> " on "
                    + s.path("url").asText() + ", " + s.path("streams").asInt() + " open streams").orElse(""));
        } else if (h.recordedPid().isPresent()) {
            h.removePid();
            System.out.println("Daemon: not running (stale pid file)");
        } else {
            System.out.println("Daemon: not running");
        }
        RemoteDevicesCommand.print(h.devices(), System.out);
        return 0;
    }

}
