package kap.policy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

import kap.policy.internal.Loading;
import kap.policy.internal.Problems;

/**
 * Loads {@code kap.toml}: TOML (night-config) to wire records, the global merge, then validation into an immutable
 * {@link KapConfig}. Errors and warnings name the file, line and key; an unknown key is a warning that suggests the
 * closest known key.
 */
public final class ConfigLoader {

    private static final String TEMPLATE = "default-kap.toml";

    private ConfigLoader() {
    }

    /**
     * Loads the project file (or the embedded default if there is none) and merges the global file.
     *
     * @param files the files
     * @return the configuration and its warnings
     * @throws ConfigException listing every error, if the configuration cannot be applied
     */
    public static LoadResult load(ConfigFiles files) {
        if (files.project().isEmpty()) {
            return Loading.load(null, defaultTemplate(), files.global(), files.defaults());
        }
        Path project = files.project().get();
        Problems problems = new Problems();
        Optional<String> text = Loading.readText(project, problems);
        if (text.isEmpty()) {
            throw new ConfigException(problems.all());
        }
        return Loading.load(project, text.get(), files.global(), files.defaults());
    }

    /**
     * Parses one TOML text on its own, without a global file.
     *
     * @param text TOML text
     * @param file the name to report in problems, or {@code null} for the embedded default
     * @param defaults listen defaults
     * @return the configuration and its warnings
     * @throws ConfigException listing every error
     */
    public static LoadResult parse(String text, Path file, ListenDefaults defaults) {
        return Loading.load(file, text, Optional.empty(), defaults);
    }

    /**
     * The embedded default: the {@code kap.toml} that {@code kap init} generates, with its comments. It allows
     * GitHub, the AI providers and the common package registries (npm, PyPI, crates, Maven, Go, RubyGems, APT...).
     *
     * @return TOML text
     */
    public static String defaultTemplate() {
        try (InputStream in = ConfigLoader.class.getResourceAsStream(TEMPLATE)) {
            if (in == null) {
                throw new IllegalStateException("embedded default policy missing from kap.policy");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
