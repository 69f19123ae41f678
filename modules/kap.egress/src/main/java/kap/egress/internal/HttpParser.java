package kap.egress.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A strict HTTP/1.1 message-head parser (RFC 9112). Whatever a lenient parser would have to guess at is refused:
 * bare CR or LF, NUL and other control characters, obs-fold, whitespace before the colon, more than one space in the
 * request line, versions other than 1.0 and 1.1. A proxy that guesses differently from the server behind it is how
 * requests get smuggled.
 */
final class HttpParser {

    /** Most header fields in one head. */
    static final int MAX_HEADER_FIELDS = 128;
    /** Longest method token. */
    static final int MAX_METHOD_LENGTH = 32;

    private HttpParser() {
    }

    /**
     * Parses a request head.
     *
     * @param head the bytes up to and including the empty line
     * @return the head
     * @throws EgressException {@code MALFORMED} or {@code VERSION}
     */
    static RequestHead parseRequest(byte[] head) {
        List<String> lines = lines(head);
        String line = lines.getFirst();
        int sp1 = line.indexOf(' ');
        int sp2 = sp1 < 0 ? -1 : line.indexOf(' ', sp1 + 1);
        if (sp1 <= 0 || sp2 < 0 || line.indexOf(' ', sp2 + 1) >= 0) {
            throw EgressException.malformed("request line must be METHOD SP target SP version");
        }
        String method = line.substring(0, sp1);
        String target = line.substring(sp1 + 1, sp2);
        String version = version(line.substring(sp2 + 1));
        if (method.length() > MAX_METHOD_LENGTH || !isToken(method)) {
            throw EgressException.malformed("invalid method");
        }
        if (target.isEmpty()) {
            throw EgressException.malformed("empty request target");
        }
        for (int i = 0; i < target.length(); i++) {
            if (target.charAt(i) > '~') {
                // raw non-ASCII is read differently by different servers; clients percent-encode it
                throw EgressException.malformed("request target must be printable ASCII (percent-encode the rest)");
            }
        }
        Headers headers = fields(lines);
        RequestHead.Target parsed = "CONNECT".equals(method) ? Targets.authority(target) : Targets.absolute(target);
        return new RequestHead(method, parsed, version, headers);
    }

    /**
     * Parses a response head.
     *
     * @param head the bytes up to and including the empty line
     * @return the head
     * @throws EgressException {@code MALFORMED} or {@code VERSION}; the caller answers 502
     */
    static ResponseHead parseResponse(byte[] head) {
        List<String> lines = lines(head);
        String line = lines.getFirst();
        if (line.length() < 12 || line.charAt(8) != ' ' || (line.length() > 12 && line.charAt(12) != ' ')) {
            throw EgressException.malformed("status line must be version SP code SP reason");
        }
        String version = version(line.substring(0, 8));
        int status = 0;
        for (int i = 9; i < 12; i++) {
            char c = line.charAt(i);
            if (c < '0' || c > '9') {
                throw EgressException.malformed("invalid status code");
            }
            status = status * 10 + (c - '0');
        }
        if (status < 100 || status > 599) {
            throw EgressException.malformed("status code out of range");
        }
        String reason = line.length() > 12 ? line.substring(13) : "";
        return new ResponseHead(version, status, reason, fields(lines));
    }

    /** Splits the head into lines on CRLF, refusing any other CR, LF or control character but HTAB. */
    static List<String> lines(byte[] head) {
        int end = head.length;
        if (end < 4 || head[end - 1] != '\n' || head[end - 2] != '\r' || head[end - 3] != '\n' || head[end - 4] != '\r') {
            throw EgressException.malformed("head does not end with an empty line");
        }
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < end - 2; i++) {
            int b = head[i] & 0xff;
            if (b == '\r') {
                if (head[i + 1] != '\n') {
                    throw EgressException.malformed("bare CR in head");
                }
                lines.add(new String(head, start, i - start, StandardCharsets.ISO_8859_1));
                start = i + 2;
                i++;
            } else if (b == '\n') {
                throw EgressException.malformed("bare LF in head");
            } else if (b == 0) {
                throw EgressException.malformed("NUL byte in head");
            } else if ((b < 0x20 && b != '\t') || b == 0x7f) {
                throw EgressException.malformed("control character in head");
            }
        }
        if (lines.isEmpty() || lines.getFirst().isEmpty()) {
            throw EgressException.malformed("empty start line");
        }
        return lines;
    }

    private static String version(String text) {
        if ("HTTP/1.1".equals(text) || "HTTP/1.0".equals(text)) {
            return text;
        }
        if (text.length() == 8 && text.startsWith("HTTP/") && Character.isDigit(text.charAt(5))
                && text.charAt(6) == '.' && Character.isDigit(text.charAt(7))) {
            throw new EgressException(EgressException.Kind.VERSION, "only HTTP/1.0 and HTTP/1.1 are supported");
        }
        throw EgressException.malformed("invalid HTTP version");
    }

    private static Headers fields(List<String> lines) {
        if (lines.size() - 1 > MAX_HEADER_FIELDS) {
            throw EgressException.malformed("more than " + MAX_HEADER_FIELDS + " header fields");
        }
        List<Headers.Field> fields = new ArrayList<>(lines.size() - 1);
        for (int i = 1; i < lines.size(); i++) {
            fields.add(field(lines.get(i)));
        }
        return new Headers(fields);
    }

    private static Headers.Field field(String line) {
        if (line.isEmpty()) {
            throw EgressException.malformed("empty header line");
        }
        if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
            throw EgressException.malformed("obsolete line folding (obs-fold) in header");
        }
        int colon = line.indexOf(':');
        if (colon <= 0) {
            throw EgressException.malformed("header line without a field name and colon");
        }
        String name = line.substring(0, colon);
        if (!isToken(name)) {
            throw EgressException.malformed("invalid header field name (whitespace before the colon?)");
        }
        return new Headers.Field(name, line.substring(colon + 1).strip());
    }

    /** RFC 9110 token: one or more tchar. */
    static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!isTchar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    static boolean isTchar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }
}
