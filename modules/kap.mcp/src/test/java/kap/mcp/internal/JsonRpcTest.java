package kap.mcp.internal;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Strict JSON-RPC 2.0 validation: what is refused is never forwarded.
 */
class JsonRpcTest {

    @Test
    void classifiesRequestsNotificationsAndResponses() {
        var body = JsonRpc.parse(("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"},"
                + "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"},"
                + "{\"jsonrpc\":\"2.0\",\"id\":\"x\",\"result\":{}}]").getBytes(StandardCharsets.UTF_8));
        assertThat(body.batch(), is(true));
        assertThat(body.entries().stream().map(e -> e.message().kind()).toList(),
                is(List.of(JsonRpc.Kind.REQUEST, JsonRpc.Kind.NOTIFICATION, JsonRpc.Kind.RESPONSE)));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"ping\"}",
        "{\"id\":1,\"method\":\"ping\"}",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"extra\":1}",
        "{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"ping\"}",
        "{\"jsonrpc\":\"2.0\",\"id\":1.5,\"method\":\"ping\"}",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"\"}",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":[1]}",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{},\"error\":{}}",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"x\",\"result\":{}}",
        "[]",
        "42"
    })
    void refusesWhatIsNotValidJsonRpc(String text) {
        ProxyException e = assertThrows(ProxyException.class, () -> JsonRpc.parse(text.getBytes(
                StandardCharsets.UTF_8)));
        assertThat(e.kind(), is(ProxyException.Kind.INVALID_REQUEST));
    }

    @Test
    void refusesDuplicateKeysAndDeepNesting() {
        assertThat(assertThrows(ProxyException.class, () -> JsonRpc.parse(
                "{\"jsonrpc\":\"2.0\",\"jsonrpc\":\"2.0\",\"method\":\"ping\"}".getBytes(StandardCharsets.UTF_8)))
                .kind(), is(ProxyException.Kind.PARSE_ERROR));
        String deep = "{\"jsonrpc\":\"2.0\",\"method\":\"x\",\"params\":{\"a\":" + "[".repeat(100)
                + "]".repeat(100) + "}}";
        assertThat(assertThrows(ProxyException.class, () -> JsonRpc.parse(deep.getBytes(StandardCharsets.UTF_8)))
                .kind(), is(ProxyException.Kind.PARSE_ERROR));
    }

    @Test
    void refusesABatchLongerThanTheLimit() {
        String one = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/x\"}";
        String batch = "[" + String.join(",", java.util.Collections.nCopies(JsonRpc.MAX_BATCH + 1, one)) + "]";
        assertThrows(ProxyException.class, () -> JsonRpc.parse(batch.getBytes(StandardCharsets.UTF_8)));
    }
}
