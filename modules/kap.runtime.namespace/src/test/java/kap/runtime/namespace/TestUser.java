package kap.runtime.namespace;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.attribute.UserPrincipal;
import java.util.concurrent.TimeUnit;

/**
 * The unprivileged user the tests run {@code kap run} as when they run as root. {@code scripts/test-prereqs.sh}
 * creates it; so does this class, if it is missing, with {@code useradd}.
 */
final class TestUser {

    /** The user's name. */
    static final String NAME = "kaptest";

    private TestUser() {
    }

    static synchronized UserPrincipal principal() throws IOException, InterruptedException {
        try {
            return lookup();
        } catch (IOException missing) {
            Process p = new ProcessBuilder("useradd", "--create-home", "--shell", "/bin/sh", NAME)
                    .redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("cannot create the test user " + NAME + ": " + output);
            }
            return lookup();
        }
    }

    private static UserPrincipal lookup() throws IOException {
        return FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName(NAME);
    }
}
