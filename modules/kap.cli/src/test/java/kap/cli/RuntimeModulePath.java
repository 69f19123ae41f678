package kap.cli;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The module path a real {@code kap} process would have. Surefire puts only the modules {@code kap.cli} requires on
 * the module path; the listener modules, found by ServiceLoader, are runtime dependencies and land on the class path.
 * This gathers both, minus the test frameworks.
 */
final class RuntimeModulePath {

    private static final List<String> TEST_ONLY = List.of("junit", "opentest4j", "apiguardian", "hamcrest",
            "surefire", "test-classes", "kap-testing", "kap.testing");

    private RuntimeModulePath() {
    }

    static List<Path> entries() {
        List<Path> result = new ArrayList<>();
        for (String property : List.of("jdk.module.path", "java.class.path")) {
            String value = System.getProperty(property, "");
            for (String entry : value.split(File.pathSeparator)) {
                if (!entry.isBlank() && TEST_ONLY.stream().noneMatch(entry::contains)) {
                    result.add(Path.of(entry));
                }
            }
        }
        return result;
    }

    static String asArgument() {
        return entries().stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
    }
}
