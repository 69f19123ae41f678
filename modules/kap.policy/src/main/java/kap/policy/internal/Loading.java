package kap.policy.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import kap.policy.ConfigException;
import kap.policy.KapConfig;
import kap.policy.ListenDefaults;
import kap.policy.LoadResult;

/**
 * The loading pipeline: text, TOML, wire records, global merge, validated model.
 */
public final class Loading {

    private Loading() {
    }

    /**
     * Loads a project text (or the embedded default when {@code projectFile} is null) and merges an optional global
     * file.
     *
     * @throws ConfigException listing every error
     */
    public static LoadResult load(Path projectFile, String projectText, Optional<Path> globalFile,
                                  ListenDefaults defaults) {
        Problems problems = new Problems();
        Optional<Wire.Config> project = read(projectFile, projectText, problems);
        Optional<Wire.Config> global = Optional.empty();
        List<Path> sources = new ArrayList<>();
        if (projectFile != null) {
            sources.add(projectFile);
        }
        if (globalFile.isPresent()) {
            sources.add(globalFile.get());
            global = readText(globalFile.get(), problems).flatMap(text -> read(globalFile.get(), text, problems));
        }
        if (project.isEmpty() || problems.hasErrors()) {
            throw new ConfigException(problems.all());
        }
        Wire.Config merged = global.map(g -> GlobalMerge.merge(project.get(), g)).orElse(project.get());
        Optional<KapConfig> config = Binder.bind(merged, sources, defaults, MatcherRegistry.instance(), problems);
        if (config.isEmpty()) {
            throw new ConfigException(problems.all());
        }
        return new LoadResult(config.get(), problems.warnings());
    }

    /**
     * Reads a file as UTF-8, recording a missing or unreadable file as an error.
     */
    public static Optional<String> readText(Path file, Problems problems) {
        try {
            if (Files.size(file) > TomlDocument.MAX_BYTES) {
                problems.error(new Origin(file, 0), "", "file is larger than " + TomlDocument.MAX_BYTES + " bytes");
                return Optional.empty();
            }
            return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            problems.error(new Origin(file, 0), "", "file not found");
        } catch (IOException | java.io.UncheckedIOException e) {
            problems.error(new Origin(file, 0), "", "cannot read: " + e.getMessage());
        }
        return Optional.empty();
    }

    private static Optional<Wire.Config> read(Path file, String text, Problems problems) {
        return TomlDocument.parse(file, text, problems).map(doc -> WireReader.read(doc, problems));
    }
}
