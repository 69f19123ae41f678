package kap.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import kap.remote.QrCode;
import kap.remote.RemoteHome;

/**
 * {@code kap remote}: the daemon that lets a phone on the same Wi-Fi watch and steer agents and approve what the
 * policy denied.
 */
@Command(name = "remote",
        mixinStandardHelpOptions = true,
        description = "Watch and steer agents from your phone: live denials, approvals, agent timelines, cancel.",
        subcommands = {RemoteStartCommand.class, RemoteStopCommand.class, RemoteStatusCommand.class,
                RemotePairCommand.class, RemoteDevicesCommand.class, RemoteRevokeCommand.class},
        footer = {"", "Docs: docs/REMOTE.md."})
final class RemoteCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** The {@code --home} option every subcommand takes. */
    static final class Home {
        @Option(names = "--home", paramLabel = "DIR",
                description = "the daemon's state directory (default: ~/.kap/remote)")
        Path dir;

        RemoteHome home() {
            return RemoteHome.of(dir != null ? dir : RemoteHome.defaultDir());
        }
    }

    /** Prints a pairing reply from the daemon: the QR code, the URL, when it expires and where the PNG is. */
    static void printPairing(JsonNode pairing, PrintStream out) {
        String url = pairing.path("url").asText();
        out.print(QrCode.encode(url).terminal());
        String expires = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneId.systemDefault())
                .format(java.time.Instant.parse(pairing.path("expires_at").asText()));
        out.println("  Scan with your phone to pair. The code works once, until " + expires + ".");
        out.println("  " + url);
        if (pairing.hasNonNull("png")) {
            out.println("  QR code as an image: " + pairing.path("png").asText());
        }
    }
}
