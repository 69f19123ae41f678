package kap.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code kap remote revoke ID}: unpairs a device; its token stops working and its open streams close at once.
 */
@Command(name = "revoke", mixinStandardHelpOptions = true,
        description = "Unpair a device: its token stops working and its open streams close at once.")
final class RemoteRevokeCommand implements Callable<Integer> {

    @Mixin
    RemoteCommand.Home home;

    @Parameters(index = "0", paramLabel = "ID", description = "device id, from `kap remote devices`")
    String id;

    @Override
    public Integer call() throws Exception {
        if (home.home().revoke(id)) {
            System.out.println("Revoked device " + id);
            return 0;
        }
        System.out.println("No device found with ID " + id);
        return 1;
    }
}
