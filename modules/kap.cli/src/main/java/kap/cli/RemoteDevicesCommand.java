package kap.cli;

import java.io.PrintStream;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import kap.remote.RemoteHome;

/**
 * {@code kap remote devices}: the paired devices.
 */
@Command(name = "devices", mixinStandardHelpOptions = true, description = "List paired devices.")
final class RemoteDevicesCommand implements Callable<Integer> {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
            .withZone(ZoneId.systemDefault());

    @Mixin
    RemoteCommand.Home home;

    @Override
    public Integer call() throws Exception {
        print(home.home().devices(), System.out);
        return 0;
    }

    static void print(List<RemoteHome.Device> devices, PrintStream out) {
        if (devices.isEmpty()) {
            out.println();
            out.println("No paired devices. Run `kap remote start` (or `kap remote pair`) and scan the QR code.");
            return;
        }
        out.println();
        out.printf("%-16s %-24s %-18s %s%n", "ID", "NAME", "PAIRED", "LAST SEEN");
        for (RemoteHome.Device d : devices) {
            out.printf("%-16s %-24s %-18s %s%n", d.id(), d.name(), TIME.format(d.pairedAt()),
                    TIME.format(d.lastSeen()));
        }
    }
}
