package kap.sidecar;

import java.io.PrintStream;
import java.text.MessageFormat;
import java.util.Locale;
import java.util.ResourceBundle;
import java.util.function.Supplier;

/**
 * Routes {@link System.Logger} to stderr, one line per record, as {@code [component] message}. Writing directly keeps
 * lines flowing during JVM shutdown, when {@code java.util.logging} has already reset its handlers, and keeps
 * logging out of the start-up path. The threshold comes from {@code KAP_LOG_LEVEL} ({@code DEBUG}, {@code INFO},
 * {@code WARNING}, {@code ERROR}; default {@code INFO}).
 */
public final class ConsoleLoggerFinder extends System.LoggerFinder {

    private static final System.Logger.Level THRESHOLD = threshold();

    /**
     * Required public constructor for ServiceLoader.
     */
    public ConsoleLoggerFinder() {
    }

    @Override
    public System.Logger getLogger(String name, Module module) {
        return new ConsoleLogger(name, System.err);
    }

    private static System.Logger.Level threshold() {
        String value = System.getenv("KAP_LOG_LEVEL");
        if (value == null || value.isBlank()) {
            return System.Logger.Level.INFO;
        }
        try {
            return System.Logger.Level.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return System.Logger.Level.INFO;
        }
    }

    private record ConsoleLogger(String name, PrintStream out) implements System.Logger {
        @Override
        public String getName() {
            return name;
        }

        @Override
        public boolean isLoggable(Level level) {
            return level != Level.OFF && level.getSeverity() >= THRESHOLD.getSeverity();
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            if (isLoggable(level)) {
                out.println(thrown == null ? msg : msg + ": " + thrown);
            }
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            if (isLoggable(level)) {
                out.println(params == null || params.length == 0 ? format : MessageFormat.format(format, params));
            }
        }

        @Override
        public void log(Level level, Supplier<String> supplier) {
            if (isLoggable(level)) {
                out.println(supplier.get());
            }
        }
    }
}
