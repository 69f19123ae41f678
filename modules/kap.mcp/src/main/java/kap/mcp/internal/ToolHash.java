package kap.mcp.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The pin of a tool: SHA-256 over a canonical form of its {@code name}, {@code description} and {@code inputSchema}
 * (object keys sorted, no whitespace, strings and numbers as Jackson prints them), so a reordering of keys is not a
 * change but any change of text or schema is.
 */
final class ToolHash {

    private ToolHash() {
    }

    static String of(JsonNode tool) {
        MessageDigest d = sha256();
        update(d, "name");
        canonical(d, tool.path("name"));
        update(d, "description");
        canonical(d, tool.path("description"));
        update(d, "inputSchema");
        canonical(d, tool.path("inputSchema"));
        return HexFormat.of().formatHex(d.digest());
    }

    private static void canonical(MessageDigest d, JsonNode n) {
        if (n.isObject()) {
            List<String> keys = new ArrayList<>();
            n.fieldNames().forEachRemaining(keys::add);
            keys.sort(null);
            d.update((byte) '{');
            for (String k : keys) {
                update(d, k);
                d.update((byte) ':');
                canonical(d, n.get(k));
                d.update((byte) ',');
            }
            d.update((byte) '}');
        } else if (n.isArray()) {
            d.update((byte) '[');
            for (JsonNode e : n) {
                canonical(d, e);
                d.update((byte) ',');
            }
            d.update((byte) ']');
        } else if (n.isTextual()) {
            update(d, n.textValue());
        } else if (n.isMissingNode()) {
            d.update((byte) '~');
        } else {
            d.update(n.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Strings are length-prefixed so no two different sequences of strings hash alike. */
    private static void update(MessageDigest d, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        d.update((byte) '"');
        d.update(Integer.toString(b.length).getBytes(StandardCharsets.US_ASCII));
        d.update((byte) ':');
        d.update(b);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
