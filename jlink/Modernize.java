import java.io.IOException;
import java.io.InputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeTransform;
import java.lang.classfile.ClassFileVersion;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Rewrites the pre-Java-6 class files of a jar (class file version below 50) as version 52 with stack maps, in place.
 *
 * <p>Why: the JDK's AOT cache (and CDS before it) leaves "old" classes out, so a library compiled for Java 5 is read,
 * parsed and verified by the slow inference verifier at every start. picocli is such a library, and it is most of
 * what {@code kap --help} and the sidecar load before they do any work. The rewrite changes no instruction: it sets
 * the version and lets the ClassFile API compute the stack map frames that version 50 and later require. A class it
 * cannot rewrite (say one with {@code jsr}) stays as it was, and the build says so.
 *
 * <p>Usage: {@code java Modernize.java <jar>...}
 */
public final class Modernize {

    private static final int OLD = 50;
    private static final int TARGET = 52;

    public static void main(String[] args) throws IOException {
        for (String arg : args) {
            modernize(Path.of(arg));
        }
    }

    private static void modernize(Path jar) throws IOException {
        Path out = jar.resolveSibling(jar.getFileName() + ".modern");
        int rewritten = 0;
        int kept = 0;
        try (ZipFile zip = new ZipFile(jar.toFile());
                URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null);
                ZipOutputStream target = new ZipOutputStream(Files.newOutputStream(out))) {
            // frames need the common superclass of two types: the jar's own classes, then the JDK's
            ClassFile classFile = ClassFile.of(ClassFile.StackMapsOption.GENERATE_STACK_MAPS,
                    ClassFile.ClassHierarchyResolverOption.of(ClassHierarchyResolver.defaultResolver()
                            .orElse(ClassHierarchyResolver.ofResourceParsing(loader))));
            for (Enumeration<? extends ZipEntry> entries = zip.entries(); entries.hasMoreElements(); ) {
                ZipEntry entry = entries.nextElement();
                byte[] bytes;
                try (InputStream in = zip.getInputStream(entry)) {
                    bytes = in.readAllBytes();
                }
                if (entry.getName().endsWith(".class") && !entry.getName().endsWith("module-info.class")
                        && major(bytes) < OLD) {
                    try {
                        bytes = rewrite(classFile, bytes);
                        rewritten++;
                    } catch (RuntimeException e) {
                        kept++;
                        System.err.println("[images] " + jar.getFileName() + ": " + entry.getName()
                                + " stays at version " + major(bytes) + ": " + e.getMessage());
                    }
                }
                ZipEntry copy = new ZipEntry(entry.getName());
                copy.setTime(entry.getTime());
                target.putNextEntry(copy);
                target.write(bytes);
                target.closeEntry();
            }
        }
        if (rewritten == 0) {
            Files.delete(out);
            return;
        }
        Files.move(out, jar, StandardCopyOption.REPLACE_EXISTING);
        System.out.println("[images] " + jar.getFileName() + ": " + rewritten + " Java 5 classes rewritten as version "
                + TARGET + (kept > 0 ? ", " + kept + " kept" : "") + ", so the AOT cache can hold them");
    }

    private static int major(byte[] bytes) {
        return bytes.length < 8 ? Integer.MAX_VALUE : ((bytes[6] & 0xff) << 8) | (bytes[7] & 0xff);
    }

    private static byte[] rewrite(ClassFile classFile, byte[] bytes) {
        // the new version first; then every code body goes through a transform, which makes the ClassFile API
        // write it anew, with the stack maps that version needs
        ClassTransform version = (builder, element) -> {
            if (element instanceof ClassFileVersion) {
                builder.withVersion(TARGET, 0);
            } else {
                builder.with(element);
            }
        };
        return classFile.transformClass(classFile.parse(bytes),
                version.andThen(ClassTransform.transformingMethodBodies(CodeTransform.ACCEPT_ALL)));
    }

    private Modernize() {
    }
}
