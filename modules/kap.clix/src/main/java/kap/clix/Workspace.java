package kap.clix;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Maps the shim's working directory in the capsule to the same directory in the sidecar's read-only view of the
 * workspace. Refused: a relative path, any {@code ..} segment, a path outside the workspace, and a path whose real
 * location (after following symbolic links on the sidecar) is outside the workspace.
 *
 * @param sidecarRoot the workspace as the sidecar sees it
 * @param capsuleRoot the workspace as the capsule sees it
 */
record Workspace(Path sidecarRoot, String capsuleRoot) {

    /**
     * The sidecar directory a command runs in.
     *
     * @param cwd the shim's working directory
     * @return an existing directory inside the workspace, real path
     * @throws ClixException if the directory is refused
     */
    Path resolve(String cwd) throws ClixException {
        if (!cwd.startsWith("/")) {
            throw ClixException.cwdRefused("the working directory '" + cwd + "' is not an absolute path");
        }
        StringBuilder relative = new StringBuilder();
        for (String segment : cwd.split("/")) {
            if (segment.equals("..")) {
                throw ClixException.cwdRefused("the working directory '" + cwd + "' contains '..'");
            }
            if (!segment.isEmpty() && !segment.equals(".")) {
                relative.append('/').append(segment);
            }
        }
        String normal = relative.isEmpty() ? "/" : relative.toString();
        String root = capsuleRoot.equals("/") ? "" : stripSlash(capsuleRoot);
        String inside;
        if (normal.equals(root) || (root.isEmpty() && normal.equals("/"))) {
            inside = "";
        } else if (normal.startsWith(root + "/")) {
            inside = normal.substring(root.length() + 1);
        } else {
            throw ClixException.cwdRefused("the working directory " + cwd + " is outside the workspace ("
                    + capsuleRoot + "); the tool runs on the sidecar, which sees only the workspace: cd into it"
                    + " and run the command again");
        }
        try {
            Path realRoot = sidecarRoot.toRealPath();
            Path real = realRoot.resolve(inside).toRealPath();
            if (!real.startsWith(realRoot)) {
                throw ClixException.cwdRefused("the working directory " + cwd + " leads outside the workspace"
                        + " through a symbolic link");
            }
            if (!Files.isDirectory(real)) {
                throw ClixException.cwdRefused("the working directory " + cwd + " is not a directory");
            }
            return real;
        } catch (NoSuchFileException e) {
            throw ClixException.cwdRefused("the working directory " + cwd + " does not exist in the sidecar's view"
                    + " of the workspace");
        } catch (IOException e) {
            throw ClixException.cwdRefused("the working directory " + cwd + " cannot be opened on the sidecar");
        }
    }

    private static String stripSlash(String path) {
        String p = path;
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }
}
