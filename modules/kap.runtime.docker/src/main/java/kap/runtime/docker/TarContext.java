package kap.runtime.docker;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A Docker build context written as a tar file: files keep their modes and modification times (the JVM checks the
 * times of its module image against its AOT cache).
 */
final class TarContext implements AutoCloseable {

    private final TarArchiveOutputStream tar;

    TarContext(Path file) throws IOException {
        OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
        tar = new TarArchiveOutputStream(out);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    }

    /** Adds a text file. */
    void text(String name, String content, int mode) throws IOException {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(bytes.length);
        e.setMode(mode);
        tar.putArchiveEntry(e);
        tar.write(bytes);
        tar.closeArchiveEntry();
    }

    /** Adds an empty directory. */
    void directory(String name, int mode) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name.endsWith("/") ? name : name + "/");
        e.setMode(mode);
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
    }

    /** Adds a host file's content (following links) under a name. */
    void file(String name, Path source) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(Files.size(source));
        e.setMode(mode(source));
        e.setModTime(Files.getLastModifiedTime(source));
        tar.putArchiveEntry(e);
        Files.copy(source, tar);
        tar.closeArchiveEntry();
    }

    /** Adds a directory tree under a prefix: directories, regular files and symbolic links as links. */
    void tree(String prefix, Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            for (Path p : (Iterable<Path>) paths.sorted()::iterator) {
                String rel = root.relativize(p).toString();
                String name = rel.isEmpty() ? prefix : prefix + "/" + rel;
                if (Files.isSymbolicLink(p)) {
                    TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
                    e.setLinkName(Files.readSymbolicLink(p).toString());
                    tar.putArchiveEntry(e);
                    tar.closeArchiveEntry();
                } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    directory(name, mode(p));
                } else {
                    file(name, p);
                }
            }
        }
    }

    private static int mode(Path p) throws IOException {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
        int mode = 0;
        for (PosixFilePermission perm : perms) {
            mode |= 1 << (8 - perm.ordinal());
        }
        return mode;
    }

    @Override
    public void close() throws IOException {
        tar.finish();
        tar.close();
    }
}
