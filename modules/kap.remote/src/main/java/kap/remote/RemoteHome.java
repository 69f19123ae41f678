package kap.remote;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The remote daemon's state directory ({@code ~/.kap/remote}, 0700) as the CLI sees it: the pid file, the control
 * socket of a running daemon, the paired devices and the pairing QR code.
 */
public final class RemoteHome {

    private final Path dir;

    private RemoteHome(Path dir) {
        this.dir = dir;
    }

    /**
     * A state directory.
     *
     * @param dir the directory
     * @return home
     */
    public static RemoteHome of(Path dir) {
        return new RemoteHome(dir);
    }

    /**
     * The default state directory, {@code ~/.kap/remote}.
     *
     * @return path
     */
    public static Path defaultDir() {
        return Path.of(System.getProperty("user.home"), ".kap", "remote");
    }

    /**
     * The directory.
     *
     * @return path
     */
    public Path dir() {
        return dir;
    }

    /**
     * Where a background daemon writes its log.
     *
     * @return path
     */
    public Path log() {
        return dir.resolve("daemon.log");
    }

    /**
     * The pid of the running daemon, if the pid file names a live process.
     *
     * @return pid, or empty
     * @throws IOException if the pid file cannot be read
     */
    public Optional<Long> runningPid() throws IOException {
        return recordedPid().filter(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    }

    /**
     * The pid in the pid file, alive or not.
     *
     * @return pid, or empty without a (readable) pid file
     * @throws IOException if it cannot be read
     */
    public Optional<Long> recordedPid() throws IOException {
        try {
            return Optional.of(Long.parseLong(Files.readString(dir.resolve("pid")).strip()));
        } catch (NoSuchFileException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * Records this process as the daemon.
     *
     * @throws IOException if it cannot be written
     */
    public void writePid() throws IOException {
        PrivateFiles.directory(dir);
        PrivateFiles.write(dir.resolve("pid"), (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Removes the pid file.
     *
     * @throws IOException if it cannot be removed
     */
    public void removePid() throws IOException {
        Files.deleteIfExists(dir.resolve("pid"));
    }

    /**
     * Sends one command to the running daemon's control socket: {@code pair}, {@code reload}, {@code status} or
     * {@code stop}.
     *
     * @param command the command
     * @return the daemon's JSON reply, or empty if no daemon listens
     * @throws IOException if the reply cannot be read
     */
    public Optional<JsonNode> send(String command) throws IOException {
        Path socket = dir.resolve("control.sock");
        if (!Files.exists(socket)) {
            return Optional.empty();
        }
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            OutputStream out = Channels.newOutputStream(channel);
            out.write((command + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            String line = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel),
                    StandardCharsets.UTF_8)).readLine();
            return line == null ? Optional.empty() : Optional.of(Api.JSON.readTree(line));
        } catch (java.net.SocketException e) {
            return Optional.empty();
        }
    }

    /**
     * The paired devices.
     *
     * @return devices, in pairing order
     * @throws IOException if the state file cannot be read
     */
    public List<Device> devices() throws IOException {
        return DeviceStore.open(dir.resolve("devices.json")).list().stream()
                .map(d -> new Device(d.id(), d.name(), d.pairedAt(), d.lastSeen())).toList();
    }

    /**
     * Revokes a device: removes it from the state file and tells a running daemon, which closes its streams at once
     * (a daemon that is not told notices within half a second).
     *
     * @param id device id
     * @return {@code false} if there is no such device
     * @throws IOException if the state file cannot be written
     */
    public boolean revoke(String id) throws IOException {
        boolean found = DeviceStore.open(dir.resolve("devices.json")).revoke(id);
        if (found) {
            send("reload");
        }
        return found;
    }

    /**
     * A paired device, without its token hash.
     *
     * @param id device id
     * @param name the name the phone gave
     * @param pairedAt when it paired
     * @param lastSeen when it last called the API (to the minute)
     */
    public record Device(String id, String name, Instant pairedAt, Instant lastSeen) {
    }
}
