package kap.egress.internal;

/**
 * A parsed upstream response head.
 *
 * @param version {@code HTTP/1.1} or {@code HTTP/1.0}
 * @param status 100 to 599
 * @param reasonPhrase reason phrase as sent, possibly empty
 * @param headers header fields
 */
record ResponseHead(String version, int status, String reasonPhrase, Headers headers) {

    boolean isInterim() {
        return status >= 100 && status < 200;
    }
}
