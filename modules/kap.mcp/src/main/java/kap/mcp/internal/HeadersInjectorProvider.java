package kap.mcp.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import kap.mcp.spi.AuthInjector;
import kap.mcp.spi.AuthInjectorProvider;
import kap.mcp.spi.InjectorContext;

/**
 * {@code headers}: the auth file's {@code headers}, then the kap.toml server's {@code headers} (which win on the same
 * name, compared without case), with {@code ${VAR}} expanded on every request from the sidecar's {@code .env} and
 * environment. A header that is empty after expansion, or holds a line break, is left out.
 */
public final class HeadersInjectorProvider implements AuthInjectorProvider {

    private static final System.Logger LOG = System.getLogger("kap.mcp");

    /**
     * Required public constructor for ServiceLoader.
     */
    public HeadersInjectorProvider() {
    }

    @Override
    public String type() {
        return "headers";
    }

    @Override
    public int order() {
        return 10;
    }

    @Override
    public Optional<AuthInjector> create(InjectorContext context) {
        Map<String, String> raw = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        raw.putAll(context.auth().headers());
        raw.putAll(context.configHeaders());
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> templates = Map.copyOf(raw);
        return Optional.of(() -> {
            Map<String, String> out = new LinkedHashMap<>();
            templates.forEach((name, template) -> {
                String value = EnvLookup.expand(template, context.env());
                if (value.isEmpty() || value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
                    LOG.log(System.Logger.Level.DEBUG, "[mcp] " + context.server() + ": skipping header " + name
                            + " (empty or multi-line after env expansion)");
                } else {
                    out.put(name, value);
                }
            });
            return out;
        });
    }
}
