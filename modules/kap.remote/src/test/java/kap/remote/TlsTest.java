package kap.remote;

import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * HTTPS with a certificate the user provides (made here with openssl): the page and the API are served over TLS,
 * the pairing URL says https, and the origin check expects an https origin.
 */
@Timeout(60)
class TlsTest {

    @TempDir
    Path dir;

    @Test
    void servesHttpsWithTheUsersCertificate() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec",
                "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key.toString(), "-out", cert.toString(),
                "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1")
                .redirectErrorStream(true).redirectOutput(dir.resolve("openssl.out").toFile()).start();
        assertThat(Files.readString(dir.resolve("openssl.out")), openssl.waitFor(30, TimeUnit.SECONDS)
                && openssl.exitValue() == 0, is(true));
        try (RemoteDaemon daemon = RemoteDaemon.start(RemoteOptions.of(dir.resolve("remote"), "127.0.0.1", 0,
                CapsuleSource.of(List.of())).withTls(new RemoteOptions.TlsFiles(cert, key)))) {
            assertThat(daemon.newPairing().url().toString(),
                    startsWith("https://127.0.0.1:" + daemon.port() + "/#pair="));
            HttpClient trusting = HttpClient.newBuilder().sslContext(trusting(cert))
                    .connectTimeout(Duration.ofSeconds(2)).build();
            HttpResponse<String> page = trusting.send(HttpRequest.newBuilder(daemon.baseUri()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode(), is(200));
            String code = Daemons.code(daemon.newPairing().url());
            HttpRequest pair = HttpRequest.newBuilder(daemon.baseUri().resolve("/api/pair"))
                    .header("Origin", "https://127.0.0.1:" + daemon.port())
                    .POST(HttpRequest.BodyPublishers.ofString("{\"code\":\"" + code + "\"}")).build();
            assertThat(trusting.send(pair, HttpResponse.BodyHandlers.ofString()).statusCode(), is(200));
            HttpRequest plainOrigin = HttpRequest.newBuilder(daemon.baseUri().resolve("/api/pair"))
                    .header("Origin", "http://127.0.0.1:" + daemon.port())
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build();
            assertThat(trusting.send(plainOrigin, HttpResponse.BodyHandlers.ofString()).statusCode(), is(403));
            HttpClient stranger = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            assertThrows(SSLHandshakeException.class, () -> stranger.send(HttpRequest.newBuilder(daemon.baseUri())
                    .build(), HttpResponse.BodyHandlers.discarding()));
        }
    }

    private static SSLContext trusting(Path cert) throws Exception {
        X509Certificate c;
        try (InputStream in = Files.newInputStream(cert)) {
            c = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        store.setCertificateEntry("kap", c);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
