package kap.policy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The policy in force, kept current as {@code kap.toml} and the global file change.
 *
 * <p>A watcher thread fingerprints every file by content every {@code interval} (250 ms by default) rather than
 * trusting modification times, which bind mounts on some platforms do not carry. A changed file is loaded in full; if
 * it is valid the new snapshot replaces the old one atomically, otherwise the old one stays and the error is kept for
 * {@code status}. A file that disappears keeps the old policy too: editors and bind mounts make files vanish for a
 * moment during a save. Readers call {@link #current()}, a volatile read that never blocks.
 *
 * <p>The grants file ({@link Grants}) is watched the same way. A grants file that vanishes holds no grants (fewer
 * grants is the safe side); a malformed one keeps the grants in force and reports the error. A one-time grant is
 * removed from the file once used, so it stays used across a restart.
 */
public final class LivePolicy implements AutoCloseable {

    /** How often files are checked by default; well inside the 1 s promise. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(250);

    private static final System.Logger LOG = System.getLogger("kap.policy");

    private final ConfigFiles files;
    private final AddressClassifier classifier;
    private final AtomicReference<Snapshot> snapshot = new AtomicReference<>();
    private final List<Consumer<Policy>> listeners = new CopyOnWriteArrayList<>();
    private final Thread watcher;
    private final GrantLedger ledger = new GrantLedger(this::used);
    private volatile List<Grant> grants = List.of();
    private volatile Optional<ReloadFailure> lastError = Optional.empty();
    private volatile boolean closed;
    private Map<Path, String> fingerprints;
    private boolean reportedMissing;

    private LivePolicy(ConfigFiles files, AddressClassifier classifier, Duration interval) {
        this.files = files;
        this.classifier = classifier;
        this.fingerprints = fingerprint();
        LoadResult first = ConfigLoader.load(files);
        readGrants();
        snapshot.set(new Snapshot(policy(first.config()), first.warnings(), 1, Instant.now()));
        if (interval == null) {
            this.watcher = null;
        } else {
            this.watcher = Thread.ofPlatform().daemon().name("kap-policy-watch").unstarted(() -> watch(interval));
            this.watcher.start();
        }
    }

    /**
     * Loads the configuration and starts watching it.
     *
     * @param files the files to load and watch
     * @param classifier address classifier for every snapshot
     * @param interval how often to check the files
     * @return the live policy
     * @throws ConfigException if the first load fails: a sidecar must not start on a policy it cannot read
     */
    public static LivePolicy start(ConfigFiles files, AddressClassifier classifier, Duration interval) {
        return new LivePolicy(Objects.requireNonNull(files, "files"), classifier, Objects.requireNonNull(interval));
    }

    /**
     * Loads the configuration once, without watching; {@link #reloadNow()} checks by hand.
     *
     * @param files the files
     * @param classifier address classifier
     * @return the live policy
     * @throws ConfigException if the load fails
     */
    public static LivePolicy loadOnce(ConfigFiles files, AddressClassifier classifier) {
        return new LivePolicy(files, classifier, null);
    }

    /**
     * The policy in force. Never blocks.
     *
     * @return current snapshot
     */
    public Policy current() {
        return snapshot.get().policy();
    }

    /**
     * Warnings of the configuration in force.
     *
     * @return warnings
     */
    public List<ConfigProblem> warnings() {
        return snapshot.get().warnings();
    }

    /**
     * How many configurations have been applied; 1 after the first load.
     *
     * @return generation
     */
    public long generation() {
        return snapshot.get().generation();
    }

    /**
     * When the configuration in force was applied.
     *
     * @return time
     */
    public Instant appliedAt() {
        return snapshot.get().appliedAt();
    }

    /**
     * The last reload that failed, cleared by the next one that succeeds.
     *
     * @return failure, or empty
     */
    public Optional<ReloadFailure> lastError() {
        return lastError;
    }

    /**
     * Calls the listener with every newly applied policy, on the watcher thread.
     *
     * @param listener listener; must not block for long
     */
    public void onReload(Consumer<Policy> listener) {
        listeners.add(Objects.requireNonNull(listener));
    }

    /**
     * Keys changed since the given configuration that only take effect after a restart: listen addresses, the log
     * path, the connection and tunnel caps, and whether the MCP and CLI proxies run.
     *
     * @param started the configuration the listeners started with
     * @return dotted keys, empty if none
     */
    public List<String> restartNeeded(KapConfig started) {
        KapConfig now = current().config();
        List<String> keys = new ArrayList<>();
        ProxyConfig a = started.proxy();
        ProxyConfig b = now.proxy();
        addIf(keys, "proxy.listen", !a.listen().equals(b.listen()));
        addIf(keys, "proxy.dns_listen", !a.dnsListen().equals(b.dnsListen()));
        addIf(keys, "proxy.admin_listen", !a.adminListen().equals(b.adminListen()));
        addIf(keys, "proxy.observe.log", !a.observe().log().equals(b.observe().log()));
        addIf(keys, "proxy.limits.max_connections", a.limits().maxConnections() != b.limits().maxConnections());
        addIf(keys, "proxy.limits.max_tunnels", a.limits().maxTunnels() != b.limits().maxTunnels());
        addIf(keys, "mcp", started.mcp().isPresent() != now.mcp().isPresent());
        addIf(keys, "mcp.listen", started.mcp().isPresent() && now.mcp().isPresent()
                && !started.mcp().get().listen().equals(now.mcp().get().listen()));
        addIf(keys, "cli", started.cli().isPresent() != now.cli().isPresent());
        addIf(keys, "cli.listen", started.cli().isPresent() && now.cli().isPresent()
                && !started.cli().get().listen().equals(now.cli().get().listen()));
        return keys;
    }

    /**
     * Checks the files now and applies a change, as the watcher does.
     *
     * @return {@code true} if a new policy was applied
     */
    public synchronized boolean reloadNow() {
        Map<Path, String> now = fingerprint();
        if (now.equals(fingerprints)) {
            if (reportedMissing) {
                reportedMissing = false;
                lastError = Optional.empty();
            }
            return false;
        }
        Optional<Path> grantsFile = files.grants();
        if (grantsFile.isPresent() && onlyChanged(grantsFile.get(), now)) {
            fingerprints = now;
            readGrants();
            Snapshot previous = snapshot.get();
            Policy policy = policy(previous.policy().config());
            snapshot.set(new Snapshot(policy, previous.warnings(), previous.generation() + 1, Instant.now()));
            LOG.log(System.Logger.Level.INFO, "[policy] grants reloaded: " + policy.activeGrants().size() + " active");
            listeners.forEach(l -> l.accept(policy));
            return true;
        }
        Optional<Path> missing = now.entrySet().stream()
                .filter(e -> !grantsFile.map(e.getKey()::equals).orElse(false))
                .filter(e -> e.getValue().isEmpty() && !Objects.equals(fingerprints.get(e.getKey()), ""))
                .map(Map.Entry::getKey).findFirst();
        if (missing.isPresent()) {
            if (!reportedMissing) {
                LOG.log(System.Logger.Level.WARNING, "[policy] config file disappeared, keeping current config: "
                        + missing.get());
                lastError = Optional.of(new ReloadFailure(Instant.now(), "config file disappeared: " + missing.get()
                        + "; keeping the last good policy", List.of()));
                reportedMissing = true;
            }
            return false;
        }
        reportedMissing = false;
        fingerprints = now;
        try {
            LoadResult result = ConfigLoader.load(files);
            readGrants();
            Snapshot previous = snapshot.get();
            Policy policy = policy(result.config());
            snapshot.set(new Snapshot(policy, result.warnings(), previous.generation() + 1, Instant.now()));
            lastError = Optional.empty();
            LOG.log(System.Logger.Level.INFO, "[policy] config reloaded (generation " + generation() + ")");
            result.warnings().forEach(w -> LOG.log(System.Logger.Level.WARNING, "[policy] " + w));
            listeners.forEach(l -> l.accept(policy));
            return true;
        } catch (ConfigException e) {
            lastError = Optional.of(new ReloadFailure(Instant.now(), e.getMessage(), e.problems()));
            LOG.log(System.Logger.Level.ERROR, "[policy] config reload failed, keeping the last good policy:\n"
                    + e.getMessage());
            return false;
        }
    }

    /**
     * Changes the grants file and applies the result at once: reads it, applies the change to the grants still
     * active, writes it atomically and reloads. Runs under the same lock as the bookkeeping of one-time grants, so
     * the two never overwrite each other.
     *
     * @param change from the active grants to the grants to keep; must not block
     * @return the grants written
     * @throws IOException if the file cannot be read or written
     * @throws IllegalStateException if this policy has no grants file
     * @throws IllegalArgumentException if the file is malformed (it is left as it is)
     */
    public synchronized List<Grant> updateGrants(java.util.function.UnaryOperator<List<Grant>> change)
            throws IOException {
        Path file = files.grants().orElseThrow(() -> new IllegalStateException("no grants file is configured"));
        List<Grant> next = List.copyOf(change.apply(Grants.active(Grants.read(file), Instant.now())));
        if (next.size() > Grants.MAX_GRANTS) {
            throw new IllegalArgumentException("more than " + Grants.MAX_GRANTS + " grants");
        }
        Grants.write(file, next);
        reloadNow();
        return next;
    }

    @Override
    public void close() {
        closed = true;
        if (watcher != null) {
            watcher.interrupt();
        }
    }

    private void watch(Duration interval) {
        while (!closed) {
            try {
                Thread.sleep(interval);
                reloadNow();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // never let the watcher die: the next change must still be seen
                LOG.log(System.Logger.Level.ERROR, "[policy] watcher error: " + e);
            }
        }
    }

    /** Content hash per watched file; "" for a file that does not exist. */
    private Map<Path, String> fingerprint() {
        Map<Path, String> result = new LinkedHashMap<>();
        files.project().ifPresent(p -> result.put(p, hash(p)));
        for (Path candidate : files.globalCandidates()) {
            result.put(candidate, hash(candidate));
        }
        files.grants().ifPresent(g -> result.put(g, hash(g)));
        return result;
    }

    private boolean onlyChanged(Path file, Map<Path, String> now) {
        for (var e : now.entrySet()) {
            boolean same = Objects.equals(fingerprints.get(e.getKey()), e.getValue());
            if (e.getKey().equals(file) == same) {
                return false;
            }
        }
        return true;
    }

    private Policy policy(KapConfig config) {
        Policy policy = Policy.of(config, classifier, grants, ledger);
        policy.grantProblems().forEach(p -> LOG.log(System.Logger.Level.WARNING, "[policy] ignoring " + p));
        return policy;
    }

    private void readGrants() {
        if (files.grants().isEmpty()) {
            return;
        }
        try {
            grants = Grants.read(files.grants().get());
        } catch (IOException | IllegalArgumentException e) {
            lastError = Optional.of(new ReloadFailure(Instant.now(), "grants file: " + e.getMessage()
                    + "; keeping the grants in force", List.of()));
            LOG.log(System.Logger.Level.ERROR, "[policy] grants file not applied: " + e.getMessage());
        }
    }

    /** A one-time grant leaves the file when used, so a restart cannot use it again. */
    private void used(Grant grant) {
        if (!grant.once() || files.grants().isEmpty()) {
            return;
        }
        Thread.ofVirtual().start(() -> {
            synchronized (this) {
                try {
                    Path file = files.grants().get();
                    List<Grant> kept = Grants.read(file).stream().filter(g -> !g.id().equals(grant.id())).toList();
                    Grants.write(file, kept);
                } catch (IOException | IllegalArgumentException e) {
                    LOG.log(System.Logger.Level.WARNING, "[policy] could not record use of grant " + grant.id()
                            + ": " + e.getMessage());
                }
            }
        });
    }

    private static String hash(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(bytes));
        } catch (NoSuchFileException e) {
            return "";
        } catch (IOException e) {
            // unreadable counts as changed-but-broken; the load reports the error
            return "unreadable:" + Arrays.hashCode(e.getMessage() == null ? new byte[0] : e.getMessage().getBytes());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void addIf(List<String> keys, String key, boolean condition) {
        if (condition) {
            keys.add(key);
        }
    }

    private record Snapshot(Policy policy, List<ConfigProblem> warnings, long generation, Instant appliedAt) {
    }
}
