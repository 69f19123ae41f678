package kap.sidecar;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The admin token file: 256 random bits, base64url, in a file only its owner can read. Whoever starts the sidecar
 * (a runtime, or {@code kap sidecar}) and the host's remote daemon share it; the capsule never sees it.
 */
public final class AdminToken {

    private static final SecureRandom RANDOM = new SecureRandom();

    private AdminToken() {
    }

    /**
     * A new random token.
     *
     * @return 43 base64url characters
     */
    public static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * Reads the token from a file, or creates the file (mode 0600, parent directories 0700) with a new token.
     *
     * @param file the token file
     * @return the token
     * @throws IOException if the file cannot be read or created
     */
    public static String readOrCreate(Path file) throws IOException {
        if (!Files.exists(file)) {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            String token = generate();
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(file, token + "\n", StandardCharsets.UTF_8);
                return token;
            } catch (FileAlreadyExistsException e) {
                // another process created it first: use theirs
            } catch (UnsupportedOperationException e) {
                Files.writeString(file, token + "\n", StandardCharsets.UTF_8);
                return token;
            }
        }
        return Files.readString(file, StandardCharsets.UTF_8).strip();
    }
}
