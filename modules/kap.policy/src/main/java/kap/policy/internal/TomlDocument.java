package kap.policy.internal;

import java.io.FilterReader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.Optional;

import com.electronwill.nightconfig.core.CommentedConfig;
import com.electronwill.nightconfig.core.io.ParsingException;
import com.electronwill.nightconfig.toml.TomlParser;

/**
 * A TOML text parsed by night-config, with the line of every key.
 */
final class TomlDocument {

    /** Larger files are refused: a policy file is a few KiB, and the parser holds it all in memory. */
    static final int MAX_BYTES = 1024 * 1024;

    private final Path file;
    private final CommentedConfig root;
    private final KeyLocator locator;

    private TomlDocument(Path file, CommentedConfig root, KeyLocator locator) {
        this.file = file;
        this.root = root;
        this.locator = locator;
    }

    /**
     * Parses the text; a syntax error is recorded with its line and gives empty.
     *
     * @param file where the text came from, or {@code null} for the embedded default
     */
    static Optional<TomlDocument> parse(Path file, String text, Problems problems) {
        if (text.length() > MAX_BYTES) {
            problems.error(new Origin(file, 0), "", "file is larger than " + MAX_BYTES + " bytes");
            return Optional.empty();
        }
        LineCountingReader reader = new LineCountingReader(new StringReader(text));
        try {
            CommentedConfig root = new TomlParser().parse(reader);
            return Optional.of(new TomlDocument(file, root, KeyLocator.scan(text)));
        } catch (ParsingException e) {
            problems.error(new Origin(file, reader.lastLine), "", "invalid TOML: " + e.getMessage());
            return Optional.empty();
        }
    }

    Path file() {
        return file;
    }

    CommentedConfig root() {
        return root;
    }

    Origin origin(String path) {
        return new Origin(file, locator.line(path));
    }

    /**
     * night-config reads one character at a time, so the line of the last character read when it throws is the line
     * of the error.
     */
    private static final class LineCountingReader extends FilterReader {
        private int line = 1;
        private int lastLine = 1;

        LineCountingReader(Reader in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int c = super.read();
            note(c);
            return c;
        }

        @Override
        public int read(char[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            for (int i = 0; i < n; i++) {
                note(buffer[offset + i]);
            }
            return n;
        }

        private void note(int c) {
            if (c == '\n') {
                line++;
            } else if (c >= 0 && !Character.isWhitespace(c)) {
                lastLine = line;
            }
        }
    }
}
