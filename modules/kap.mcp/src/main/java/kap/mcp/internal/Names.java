package kap.mcp.internal;

/**
 * Which names may be judged at all. A tool or prompt name must be 1 to 128 characters of ASCII letters, digits and
 * {@code _ - . / :}; anything else (control characters, spaces, zero-width or bidirectional marks, letters of other
 * scripts that look like Latin ones) could show the human one name while the policy matched another, so it is
 * refused. Resource URIs must be printable ASCII without spaces (RFC 3986 percent-encodes the rest).
 */
final class Names {

    static final int MAX_NAME = 128;
    static final int MAX_URI = 2048;

    private Names() {
    }

    static boolean safeName(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_NAME) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '_' || c == '-' || c == '.' || c == '/' || c == ':';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    static boolean safeUri(String uri) {
        if (uri == null || uri.isEmpty() || uri.length() > MAX_URI) {
            return false;
        }
        for (int i = 0; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    /** The name as it may appear in a log line or an error message: unsafe characters shown as escapes. */
    static String printable(String name) {
        if (name == null) {
            return "(none)";
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < name.length() && b.length() < 200; i++) {
            char c = name.charAt(i);
            if (c >= 0x20 && c < 0x7f) {
                b.append(c);
            } else {
                b.append(String.format("\\u%04x", (int) c));
            }
        }
        return b.toString();
    }
}
