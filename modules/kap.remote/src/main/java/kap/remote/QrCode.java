package kap.remote;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;

/**
 * A QR code (ZXing), rendered for a terminal with Unicode half blocks and as a PNG written without
 * {@code java.desktop}: zlib from {@link Deflater}, chunk checksums from {@link CRC32}.
 */
public final class QrCode {

    /** Light modules around the code in the terminal; scanners need some. */
    static final int TERMINAL_QUIET_ZONE = 2;
    /** Light modules around the code in the PNG, as the standard asks. */
    static final int PNG_QUIET_ZONE = 4;

    private final boolean[][] dark;

    private QrCode(boolean[][] dark) {
        this.dark = dark;
    }

    /**
     * Encodes text (error correction level M, UTF-8).
     *
     * @param text the text, such as a pairing URL
     * @return the code
     * @throws IllegalArgumentException if the text is too long for a QR code
     */
    public static QrCode encode(String text) {
        try {
            BitMatrix m = new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0, Map.of(
                    EncodeHintType.MARGIN, 0, EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M,
                    EncodeHintType.CHARACTER_SET, StandardCharsets.UTF_8.name()));
            boolean[][] dark = new boolean[m.getHeight()][m.getWidth()];
            for (int y = 0; y < m.getHeight(); y++) {
                for (int x = 0; x < m.getWidth(); x++) {
                    dark[y][x] = m.get(x, y);
                }
            }
            return new QrCode(dark);
        } catch (WriterException e) {
            throw new IllegalArgumentException("cannot encode a QR code: " + e.getMessage());
        }
    }

    /**
     * Modules per side, without quiet zone.
     *
     * @return size
     */
    public int size() {
        return dark.length;
    }

    /**
     * The code for a terminal with a dark background: light modules are drawn, two rows per line with half blocks,
     * each line indented by two spaces.
     *
     * @return lines joined with newlines, ending with one
     */
    public String terminal() {
        int q = TERMINAL_QUIET_ZONE;
        int n = size() + 2 * q;
        StringBuilder out = new StringBuilder();
        for (int y = 0; y < n; y += 2) {
            out.append("  ");
            for (int x = 0; x < n; x++) {
                boolean top = light(x - q, y - q);
                boolean bottom = y + 1 >= n || light(x - q, y + 1 - q);
                out.append(top ? (bottom ? '█' : '▀') : (bottom ? '▄' : ' '));
            }
            out.append('\n');
        }
        return out.toString();
    }

    /**
     * The code as a PNG: 8-bit grey, black on white, {@code scale} pixels per module.
     *
     * @param scale pixels per module, 1 to 32
     * @return PNG bytes
     */
    public byte[] png(int scale) {
        if (scale < 1 || scale > 32) {
            throw new IllegalArgumentException("scale must be 1 to 32");
        }
        int side = (size() + 2 * PNG_QUIET_ZONE) * scale;
        byte[] raw = new byte[side * (side + 1)];
        int i = 0;
        for (int py = 0; py < side; py++) {
            raw[i++] = 0;
            for (int px = 0; px < side; px++) {
                raw[i++] = light(px / scale - PNG_QUIET_ZONE, py / scale - PNG_QUIET_ZONE) ? (byte) 0xff : 0;
            }
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        byte[] header = new byte[13];
        put(header, 0, side);
        put(header, 4, side);
        header[8] = 8;
        chunk(png, "IHDR", header);
        chunk(png, "IDAT", deflate(raw));
        chunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }

    private boolean light(int x, int y) {
        return x < 0 || y < 0 || x >= size() || y >= size() || !dark[y][x];
    }

    private static byte[] deflate(byte[] data) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        try {
            deflater.setInput(data);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            while (!deflater.finished()) {
                out.write(buffer, 0, deflater.deflate(buffer));
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    private static void chunk(ByteArrayOutputStream png, String type, byte[] data) {
        byte[] length = new byte[4];
        put(length, 0, data.length);
        png.writeBytes(length);
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        png.writeBytes(typeBytes);
        png.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        byte[] sum = new byte[4];
        put(sum, 0, (int) crc.getValue());
        png.writeBytes(sum);
    }

    private static void put(byte[] b, int at, int value) {
        b[at] = (byte) (value >>> 24);
        b[at + 1] = (byte) (value >>> 16);
        b[at + 2] = (byte) (value >>> 8);
        b[at + 3] = (byte) value;
    }
}
