package kap.remote;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;

/**
 * The agent tab's API against real processes: sessions listed and parsed from Claude Code files, a live timeline as
 * the file grows, cancel with SIGINT to the agent working in the session's directory, and a follow-up prompt that
 * resumes the session.
 */
@Timeout(60)
class AgentTest {

    private static final String SESSION = "0b6d2c8e-4f1a-4c3e-9a57-2d8c1e5f7a90";

    @TempDir
    Path home;

    private Path work;
    private Path file;
    private RemoteDaemon daemon;
    private Client phone;

    @BeforeEach
    void start() throws Exception {
        work = Files.createDirectories(home.resolve("projects/shop"));
        Path dir = Files.createDirectories(home.resolve(".claude/projects/-home-dev-projects-shop"));
        file = dir.resolve(SESSION + ".jsonl");
        String fixture = String.join("\n", TimelineTest.fixture("-home-dev-projects-shop/" + SESSION + ".jsonl"))
                + "\n";
        Files.writeString(file, fixture.replace("/home/dev/projects/shop", work.toString()));
        Path bin = Files.createDirectories(home.resolve("bin"));
        Path claude = bin.resolve("claude");
        Files.writeString(claude, "#!/bin/sh\nprintf '%s\\n' \"$PWD\" \"$@\" > \"$HOME/claude-args\"\n");
        Files.setPosixFilePermissions(claude, PosixFilePermissions.fromString("rwxr-xr-x"));
        CapsuleRef capsule = new CapsuleRef("shop", "test", "shop", work, "running", Optional.empty(),
                Optional.empty(), Optional.empty(), Instant.now(), Map.of());
        CapsuleSource source = new CapsuleSource() {
            @Override
            public List<CapsuleRef> capsules() {
                return List.of(capsule);
            }

            @Override
            public Optional<AgentShell> shell(CapsuleRef c) {
                return Optional.of(new LocalShell(home));
            }

            @Override
            public List<String> sessionRoots(CapsuleRef c) {
                return List.of(home.resolve(".claude/projects").toString());
            }
        };
        daemon = RemoteDaemon.start(RemoteOptions.of(home.resolve("remote"), "127.0.0.1", 0, source));
        phone = new Client(daemon.baseUri(), Daemons.pair(daemon, "phone"));
    }

    @AfterEach
    void stop() {
        daemon.close();
    }

    private static String base() {
        return "/api/capsules/shop/agent/sessions";
    }

    @Test
    void listsSessionsAndParsesATimelineSkippingMalformedLines() throws Exception {
        JsonNode sessions = phone.get(base()).json().path("sessions");
        assertThat(sessions.size(), is(1));
        assertThat(sessions.get(0).path("id").asText(), is(SESSION));
        assertThat(sessions.get(0).path("project").asText(), is("projects-shop"));
        assertThat(sessions.get(0).path("branch").asText(), is("feature/cart"));
        JsonNode timeline = phone.get(base() + "/" + SESSION).json();
        assertThat(timeline.path("malformed").asInt(), is(3));
        assertThat(timeline.path("events").size(), is(13));
        assertThat(timeline.path("events").get(2).path("tool_name").asText(), is("Grep"));
        assertThat(phone.get(base() + "/" + SESSION + "/status").json().path("running").asBoolean(), is(true));
        assertThat(phone.get(base() + "/ffffffff-0000-0000-0000-000000000000").status(), is(404));
    }

    @Test
    void aLiveTimelineShowsNewLinesAsTheAgentWritesThem() throws Exception {
        HttpResponse<java.io.InputStream> stream = phone.open(base() + "/" + SESSION + "/stream");
        assertThat(stream.statusCode(), is(200));
        BlockingQueue<String> data = new LinkedBlockingQueue<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.startsWith("data: ")) {
                        data.add(line.substring(6));
                    }
                }
            } catch (Exception e) {
                // closed
            }
        });
        Thread.sleep(500);
        Files.writeString(file, "{\"type\":\"assistant\",\"uuid\":\"live-1\",\"message\":{\"role\":\"assistant\","
                + "\"content\":[{\"type\":\"text\",\"text\":\"All tests pass.\"}]}}\nnot json\n",
                StandardOpenOption.APPEND);
        String event = data.poll(10, TimeUnit.SECONDS);
        assertThat(event, notNullValue());
        assertThat(Api.JSON.readTree(event).path("summary").asText(), is("All tests pass."));
        stream.body().close();
    }

    @Test
    void cancelSendsSigintToTheAgentOfTheSession() throws Exception {
        Process other = new ProcessBuilder("bash", "-c", "exec -a claude sleep 30").directory(home.toFile()).start();
        Process agent = new ProcessBuilder("bash", "-c", "exec -a claude sleep 30").directory(work.toFile()).start();
        try {
            Thread.sleep(300);
            JsonNode r = phone.post(base() + "/" + SESSION + "/cancel", "{}").json();
            assertThat(r.toString(), r.path("cancelled").asBoolean(), is(true));
            assertThat(r.path("message").asText(), containsString(Long.toString(agent.pid())));
            assertThat(agent.waitFor(5, TimeUnit.SECONDS), is(true));
            assertThat("killed by SIGINT", agent.exitValue(), is(130));
            assertThat("the other agent keeps running", other.isAlive(), is(true));
        } finally {
            agent.destroyForcibly();
            other.destroyForcibly();
        }
    }

    @Test
    void aFollowUpResumesTheSessionInItsDirectory() throws Exception {
        Client.Reply r = phone.post(base() + "/" + SESSION + "/message",
                "{\"message\":\"also update the changelog; don't $(touch pwned)\"}");
        assertThat(r.body(), r.status(), is(200));
        assertThat(r.json().path("sent").asBoolean(), is(true));
        Path args = home.resolve("claude-args");
        assertThat(kap.testing.Eventually.within(Duration.ofSeconds(5), () -> Files.exists(args)), notNullValue());
        Thread.sleep(200);
        assertThat(Files.readAllLines(args), is(List.of(work.toString(), "--resume", SESSION,
                "--dangerously-skip-permissions", "-p", "also update the changelog; don't $(touch pwned)")));
        assertThat("nothing was run from the message", Files.exists(home.resolve("pwned")), is(false));
        assertThat(phone.post(base() + "/" + SESSION + "/message", "{\"message\":\"  \"}").status(), is(400));
    }

    @Test
    void sessionIdsThatAShellCouldMisreadAreRefused() throws Exception {
        for (String id : List.of("$(touch%20x)", "a;b", "..", "a%20b", "x".repeat(200))) {
            // Helidon reads ";b" as a path parameter, so "a;b" asks for session "a", which does not exist
            assertThat(id, phone.get(base() + "/" + id).status(), anyOf(is(400), is(404)));
        }
        assertThat(Files.exists(home.resolve("x")), is(false));
    }
}
