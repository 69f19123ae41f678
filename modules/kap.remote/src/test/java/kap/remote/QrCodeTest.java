package kap.remote;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

/**
 * The QR code: the PNG, read by an independent decoder (ImageIO) and then ZXing, gives back the pairing URL; the
 * terminal form is two modules per line of half blocks.
 */
@Timeout(30)
class QrCodeTest {

    @TempDir
    Path home;

    static String decode(byte[] png) throws Exception {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        int[] pixels = image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
        BinaryBitmap bitmap = new BinaryBitmap(new HybridBinarizer(
                new RGBLuminanceSource(image.getWidth(), image.getHeight(), pixels)));
        return new QRCodeReader().decode(bitmap, Map.of(DecodeHintType.PURE_BARCODE, Boolean.FALSE)).getText();
    }

    @Test
    void thePairingPngDecodesToThePairingUrl() throws Exception {
        try (RemoteDaemon daemon = Daemons.start(home, CapsuleSource.of(List.of()))) {
            RemoteDaemon.Pairing pairing = daemon.newPairing();
            Path png = home.resolve("pair.png");
            Files.write(png, pairing.qr().png(8));
            String url = decode(Files.readAllBytes(png));
            assertThat(url, is(pairing.url().toString()));
            assertThat(url, startsWith("http://127.0.0.1:" + daemon.port() + "/#pair="));
        }
    }

    @Test
    void theTerminalFormUsesHalfBlocksTwoRowsPerLine() {
        QrCode qr = QrCode.encode("http://192.168.1.20:19420/#pair=abcdefghijklmnopqrstuv");
        List<String> lines = qr.terminal().lines().toList();
        int side = qr.size() + 2 * QrCode.TERMINAL_QUIET_ZONE;
        assertThat(lines.size(), is((side + 1) / 2));
        for (String line : lines) {
            assertThat(line.length(), is(2 + side));
            assertThat(line.substring(2).chars().allMatch(c -> "█▀▄ ".indexOf(c) >= 0), is(true));
        }
        assertThat("the quiet zone is light", lines.getFirst().substring(2), is("█".repeat(side)));
    }

    @Test
    void everyScaleDecodes() throws Exception {
        String text = "https://kap.example:19420/#pair=Zm9vYmFy";
        for (int scale : new int[] {2, 4, 10}) {
            assertThat(decode(QrCode.encode(text).png(scale)), is(text));
        }
    }
}
