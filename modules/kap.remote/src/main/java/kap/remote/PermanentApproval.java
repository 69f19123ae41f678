package kap.remote;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;

import kap.policy.ConfigException;
import kap.policy.ConfigLoader;
import kap.policy.KapConfig;
import kap.policy.ListenDefaults;
import kap.policy.Rule;

/**
 * A permanent approval: one entry added to an allow list of the project's kap.toml ({@link TomlEdit}), checked by
 * loading the edited text with kap's own loader (it must load, and the entry must be in the list it was meant for)
 * before the file is replaced, atomically and with its permissions kept. The sidecar's hot reload applies it.
 */
final class PermanentApproval {

    private PermanentApproval() {
    }

    /**
     * Adds the approvable's pattern to the file.
     *
     * @return {@code true} if the file changed, {@code false} if the entry was already there
     * @throws IllegalArgumentException if the file cannot be edited safely, with the reason
     * @throws IOException if it cannot be read or written
     */
    static boolean apply(Path file, Approvable a) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        if (allowList(load(text, file), a).contains(a.pattern())) {
            return false;
        }
        String edited = switch (a.kind()) {
            case "network" -> TomlEdit.addNetworkAllow(text, a.pattern());
            case "mcp" -> TomlEdit.addOwnedAllow(text, "mcp.servers", a.owner().orElseThrow(), a.pattern());
            case "cli" -> TomlEdit.addOwnedAllow(text, "cli.tools", a.owner().orElseThrow(), a.pattern());
            default -> throw new IllegalArgumentException("a " + a.kind() + " request has no kap.toml line");
        };
        KapConfig after;
        try {
            after = load(edited, file);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the edited kap.toml would not load, so it was left as it was: "
                    + e.getMessage());
        }
        if (!allowList(after, a).contains(a.pattern())) {
            throw new IllegalArgumentException("the edit did not land in the right list, so kap.toml was left as it"
                    + " was");
        }
        write(file, edited);
        return true;
    }

    private static KapConfig load(String text, Path file) {
        try {
            return ConfigLoader.parse(text, file, ListenDefaults.local()).config();
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    private static List<String> allowList(KapConfig config, Approvable a) {
        List<Rule> rules = switch (a.kind()) {
            case "network" -> config.proxy().network().allow();
            case "mcp" -> config.mcp().flatMap(m -> m.server(a.owner().orElseThrow())).map(s -> s.allow())
                    .orElse(List.of());
            case "cli" -> config.cli().flatMap(c -> c.tool(a.owner().orElseThrow())).map(t -> t.allow())
                    .orElse(List.of());
            default -> List.of();
        };
        return rules.stream().map(Rule::pattern).toList();
    }

    private static void write(Path file, String text) throws IOException {
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".kap.toml", ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            try {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
                Files.setPosixFilePermissions(tmp, perms);
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
