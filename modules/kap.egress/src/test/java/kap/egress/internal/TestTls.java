package kap.egress.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed certificate for the test names ({@code allowed.test}, {@code other.test}), made once per test JVM
 * with the JDK's keytool, and TLS contexts for servers and clients that trust only it.
 */
final class TestTls {

    static final String PASSWORD = "changeit";

    private static TestTls instance;

    private final Path keyStore;
    private final Path certPem;

    private TestTls(Path keyStore, Path certPem) {
        this.keyStore = keyStore;
        this.certPem = certPem;
    }

    static synchronized TestTls get() throws IOException {
        if (instance == null) {
            Path dir = Files.createTempDirectory("kap-egress-tls");
            Path ks = dir.resolve("upstream.p12");
            Path pem = dir.resolve("upstream.pem");
            // deleted in reverse order of registration: the files, then the directory
            dir.toFile().deleteOnExit();
            ks.toFile().deleteOnExit();
            pem.toFile().deleteOnExit();
            keytool("-genkeypair", "-alias", "upstream", "-keyalg", "EC", "-groupname", "secp256r1",
                    "-dname", "CN=allowed.test", "-ext", "SAN=dns:allowed.test,dns:other.test,dns:upload.test",
                    "-validity", "3", "-keystore", ks.toString(), "-storetype", "PKCS12",
                    "-storepass", PASSWORD, "-keypass", PASSWORD);
            keytool("-exportcert", "-rfc", "-alias", "upstream", "-keystore", ks.toString(), "-storepass", PASSWORD,
                    "-file", pem.toString());
            instance = new TestTls(ks, pem);
        }
        return instance;
    }

    /** PEM of the certificate, for {@code curl --cacert}. */
    Path certPem() {
        return certPem;
    }

    SSLContext serverContext() throws IOException {
        try (InputStream in = Files.newInputStream(keyStore)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, PASSWORD.toCharArray());
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, PASSWORD.toCharArray());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
            return context;
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    SSLContext clientContext() throws IOException {
        try (InputStream in = Files.newInputStream(keyStore)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, PASSWORD.toCharArray());
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("upstream", ks.getCertificate("upstream"));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    private static void keytool(String... args) throws IOException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = new java.util.ArrayList<>(List.of(keytool.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            byte[] output = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("keytool failed: " + new String(output));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
