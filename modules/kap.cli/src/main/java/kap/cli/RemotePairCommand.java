package kap.cli;

import java.util.Optional;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import kap.remote.RemoteHome;

/**
 * {@code kap remote pair}: a new single-use pairing code from the running daemon, as a QR code.
 */
@Command(name = "pair", mixinStandardHelpOptions = true,
        description = "Show a new pairing QR code (single use, valid for a few minutes).")
final class RemotePairCommand implements Callable<Integer> {

    @Mixin
    RemoteCommand.Home home;

    @Override
    public Integer call() throws Exception {
        RemoteHome h = home.home();
        Optional<JsonNode> pairing = h.runningPid().isPresent() ? h.send("pair") : Optional.empty();
        if (pairing.isEmpty()) {
            System.err.println("kap: the remote daemon is not running; start it with `kap remote start`");
            return 1;
        }
        RemoteCommand.printPairing(pairing.get(), System.out);
        return 0;
    }
}
