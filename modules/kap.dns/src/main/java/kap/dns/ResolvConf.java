package kap.dns;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import kap.policy.Endpoint;
import kap.policy.HostPort;

/**
 * What kap.dns reads from the host's {@code resolv.conf}: {@code nameserver} lines (the default upstreams when
 * {@code proxy.dns_upstream} is empty) and {@code search}/{@code domain} lines (names under them are search-list
 * expansions; see {@code docs/DNS.md}). Lines it does not understand are ignored, as the C library does.
 *
 * @param nameservers nameservers, port 53, in file order
 * @param searchDomains normalised search domains, in file order
 */
record ResolvConf(List<Endpoint> nameservers, List<String> searchDomains) {

    /** Nameservers after this many are ignored, like glibc's MAXNS. */
    static final int MAX_NAMESERVERS = 3;
    /** Larger files are refused rather than read. */
    static final long MAX_BYTES = 64 * 1024;

    /**
     * Copies the lists.
     */
    ResolvConf {
        nameservers = List.copyOf(nameservers);
        searchDomains = List.copyOf(searchDomains);
    }

    /**
     * Reads a file; a missing file is empty.
     *
     * @param file the file
     * @return what it says
     * @throws IOException if it exists but cannot be read, or is larger than {@link #MAX_BYTES}
     */
    static ResolvConf read(Path file) throws IOException {
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new IOException(file + " is larger than " + MAX_BYTES + " bytes");
            }
            return parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return new ResolvConf(List.of(), List.of());
        }
    }

    /**
     * Parses the text of a {@code resolv.conf}.
     *
     * @param text the text
     * @return what it says
     */
    static ResolvConf parse(String text) {
        List<Endpoint> servers = new ArrayList<>();
        List<String> search = new ArrayList<>();
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            String[] words = line.split("\\s+");
            switch (words[0].toLowerCase(Locale.ROOT)) {
                case "nameserver" -> {
                    if (words.length > 1 && servers.size() < MAX_NAMESERVERS) {
                        nameserver(words[1]).ifPresent(servers::add);
                    }
                }
                // the last search or domain line wins (resolv.conf(5))
                case "search", "domain" -> {
                    search.clear();
                    for (int i = 1; i < words.length; i++) {
                        domain(words[i]).ifPresent(search::add);
                    }
                }
                default -> {
                }
            }
        }
        return new ResolvConf(servers, search);
    }

    private static java.util.Optional<Endpoint> nameserver(String word) {
        String address = word.indexOf('%') >= 0 ? word.substring(0, word.indexOf('%')) : word;
        try {
            return java.util.Optional.of(new Endpoint(java.net.InetAddress.ofLiteral(address), 53));
        } catch (IllegalArgumentException e) {
            return java.util.Optional.empty();
        }
    }

    private static java.util.Optional<String> domain(String word) {
        try {
            return java.util.Optional.of(HostPort.normalizeName(word));
        } catch (IllegalArgumentException e) {
            return java.util.Optional.empty();
        }
    }
}
