package kap.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import kap.policy.ConfigLoader;
import kap.policy.KapConfig;
import kap.policy.ListenDefaults;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * {@code kap init}: a new project gets the four files and the .gitignore line; an existing devcontainer.json is
 * converted without losing the user's keys, comments or order; kap.toml is the embedded default and loads.
 */
class InitCommandTest {

    @TempDir
    Path dir;
    @TempDir
    Path home;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream oldOut;
    private PrintStream oldErr;

    @BeforeEach
    void capture() {
        oldOut = System.out;
        oldErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        System.setProperty("kap.home", home.toString());
    }

    @AfterEach
    void restore() {
        System.setOut(oldOut);
        System.setErr(oldErr);
        System.clearProperty("kap.home");
    }

    private Path dc(String file) {
        return dir.resolve(".devcontainer").resolve(file);
    }

    @Test
    void scaffoldsANewProjectWhoseFilesLoad() throws Exception {
        assertThat(Main.run("init", "-p", dir.toString(), "--yes", "--image", "example/app:1"), is(0));
        KapConfig config = ConfigLoader.parse(Files.readString(dc("kap.toml")), dc("kap.toml"),
                ListenDefaults.CONTAINER).config();
        assertThat(config.proxy().network().allow().toString(), containsString("github.com"));
        Devcontainer d = Devcontainer.read(dc("devcontainer.json"));
        assertThat(d.missingKapSettings().isEmpty(), is(true));
        assertThat(d.service(), equalTo("app"));
        assertThat(d.workspaceFolder().orElseThrow(), equalTo("/workspaces/" + dir.getFileName()));
        ComposeService app = ComposeService.read(dir.resolve(".devcontainer"), d.composeFiles(), "app");
        assertThat(app.string("image").orElseThrow(), equalTo("example/app:1"));
        assertThat(app.unmodelled().isPresent(), is(false));
        assertThat(Files.readString(dir.resolve(".gitignore")), containsString(Scaffold.GITIGNORE_LINE));
    }

    @Test
    void theKapTomlIsTheEmbeddedDefaultWithTheChosenSetup() throws Exception {
        Main.run("init", "-p", dir.toString(), "--yes");
        String text = Files.readString(dc("kap.toml"));
        // --yes takes the original's defaults: Claude Code on, Codex off, gh when the host has it
        boolean gh = new HostTools(System.getenv()).onPath("gh").isPresent();
        assertThat(text, equalTo(KapTomlTemplate.render(new InitChoices(gh, false, true, false, gh))));
        assertThat(text, containsString("\n[setup]\nclaude_code = true\ncodex = false\n"));
    }

    @Test
    void withNothingDetectedOrChosenTheKapTomlIsTheEmbeddedDefaultWordForWord() {
        assertThat(KapTomlTemplate.render(new InitChoices(false, false, false, false, false)),
                equalTo(ConfigLoader.defaultTemplate()));
    }

    @Test
    void refusesToOverwriteKapTomlWithoutForce() throws Exception {
        Main.run("init", "-p", dir.toString(), "--yes");
        Files.writeString(dc("kap.toml"), "# mine\n");
        assertThat(Main.run("init", "-p", dir.toString(), "--yes"), is(1));
        assertThat(err.toString(StandardCharsets.UTF_8), containsString("kap.toml already exists at"));
        assertThat(Files.readString(dc("kap.toml")), equalTo("# mine\n"));
    }

    @Test
    void convertsAnImageDevcontainerKeepingCommentsKeysAndOrder() throws Exception {
        Files.createDirectories(dir.resolve(".devcontainer"));
        Files.writeString(dc("devcontainer.json"), """
                // my devcontainer
                {
                  "name": "demo",
                  "image": "example/app:2", // the image
                  /* a block comment with // and ,} inside */
                  "features": {"ghcr.io/x/y:1": {},},
                  "postCreateCommand": "echo 'a,}' // not a comment",
                }
                """);
        assertThat(Main.run("init", "-p", dir.toString(), "--yes"), is(0));
        String text = Files.readString(dc("devcontainer.json"));
        assertThat(text, containsString("// my devcontainer"));
        assertThat(text, containsString("/* a block comment with // and ,} inside */"));
        assertThat(text, containsString("\"postCreateCommand\": \"echo 'a,}' // not a comment\","));
        assertThat(text, not(containsString("\"image\"")));
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) Jsonc.parse(text).plain();
        assertThat(m.keySet().stream().toList().subList(0, 3),
                equalTo(java.util.List.of("name", "features", "postCreateCommand")));
        Devcontainer d = Devcontainer.read(dc("devcontainer.json"));
        assertThat(d.missingKapSettings().isEmpty(), is(true));
        ComposeService app = ComposeService.read(dir.resolve(".devcontainer"), d.composeFiles(), "app");
        assertThat(app.string("image").orElseThrow(), equalTo("example/app:2"));
    }

    @Test
    void keepsAComposeDevcontainersFilesAndAppendsTheOverlayLast() throws Exception {
        Files.createDirectories(dir.resolve(".devcontainer"));
        Files.writeString(dc("devcontainer.json"), "{\"dockerComposeFile\": \"compose.yml\", \"service\": \"dev\","
                + " \"initializeCommand\": \"make prep\"}");
        Files.writeString(dc("compose.yml"), "services:\n  dev:\n    image: x\n");
        assertThat(Main.run("init", "-p", dir.toString(), "--yes"), is(0));
        Devcontainer d = Devcontainer.read(dc("devcontainer.json"));
        assertThat(d.composeFiles(), equalTo(java.util.List.of("compose.yml", Devcontainer.OVERLAY)));
        assertThat(d.service(), equalTo("dev"));
        assertThat(out.toString(StandardCharsets.UTF_8), containsString("initializeCommand is already set"));
        assertThat(Files.exists(dc(Scaffold.COMPOSE)), is(false));
    }

    @Test
    void anUnparseableDevcontainerIsAClearErrorWithItsLine() throws Exception {
        Files.createDirectories(dir.resolve(".devcontainer"));
        Files.writeString(dc("devcontainer.json"), "{\n  \"image\": 'single'\n}");
        assertThat(Main.run("init", "-p", dir.toString(), "--yes"), is(1));
        assertThat(err.toString(StandardCharsets.UTF_8), containsString("devcontainer.json:2:12: unexpected"));
    }

    @Test
    void switchesOnTheGhToolAndSigningWhenDetected() {
        String text = KapTomlTemplate.render(new InitChoices(true, true, true, false, true));
        KapConfig config = ConfigLoader.parse(text, Path.of("kap.toml"), ListenDefaults.CONTAINER).config();
        assertThat(config.sshSigning(), is(true));
        assertThat(config.cli().orElseThrow().tools().stream().map(t -> t.name()).toList(), hasItem("gh"));
        assertThat(config.setup().claudeCode(), is(true));
        assertThat(config.setup().gh(), is(true));
    }
}
