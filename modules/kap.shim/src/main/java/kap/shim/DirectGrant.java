package kap.shim;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the sidecar hands a shim for a tool in direct mode: the variables (credentials) to run the real binary in the
 * capsule with.
 *
 * <p>Payload layout: u32 count, then each name and value as a string (u32 byte length, UTF-8).
 *
 * @param env variable names to values
 */
public record DirectGrant(Map<String, String> env) {

    /**
     * Copies the map, keeping its order.
     */
    public DirectGrant {
        env = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(env));
    }

    /**
     * Encodes the grant.
     *
     * @return the payload of a {@link Wire#DIRECT} frame
     * @throws WireException if there are too many variables or they are too large together
     */
    public byte[] encode() throws WireException {
        if (env.size() > Wire.MAX_ENV_ENTRIES) {
            throw new WireException(env.size() + " variables are over the limit of " + Wire.MAX_ENV_ENTRIES
                    + " (MAX_ENV_ENTRIES)");
        }
        Payload.Writer w = new Payload.Writer();
        w.u32(env.size());
        for (Map.Entry<String, String> e : env.entrySet()) {
            w.bytes(e.getKey().getBytes(StandardCharsets.UTF_8));
            w.bytes(e.getValue().getBytes(StandardCharsets.UTF_8));
        }
        if (w.size() > Wire.MAX_DIRECT_BYTES) {
            throw new WireException("the variables are over the limit of " + Wire.MAX_DIRECT_BYTES
                    + " bytes (MAX_DIRECT_BYTES)");
        }
        return w.toByteArray();
    }

    /**
     * Decodes a grant.
     *
     * @param payload the payload of a {@link Wire#DIRECT} frame
     * @return the grant
     * @throws WireException if it is malformed or over a limit
     */
    public static DirectGrant decode(byte[] payload) throws WireException {
        Payload.Reader r = new Payload.Reader(payload);
        long count = r.u32("the variable count");
        if (count > Wire.MAX_ENV_ENTRIES) {
            throw new WireException(count + " variables are over the limit of " + Wire.MAX_ENV_ENTRIES
                    + " (MAX_ENV_ENTRIES)");
        }
        Map<String, String> env = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            String name = r.string("variable name " + (i + 1), Wire.MAX_DIRECT_BYTES, "MAX_DIRECT_BYTES");
            if (name.isEmpty() || name.indexOf('=') >= 0) {
                throw new WireException("variable name " + (i + 1) + " is empty or contains '='");
            }
            env.put(name, r.string("the value of " + name, Wire.MAX_DIRECT_BYTES, "MAX_DIRECT_BYTES"));
        }
        r.end();
        return new DirectGrant(env);
    }
}
