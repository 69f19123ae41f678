package kap.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kap init}: scaffolds {@code .devcontainer/} (kap.toml, devcontainer.json, compose files, .gitignore line), or
 * converts an existing devcontainer.json without losing what the user wrote.
 */
@Command(name = "init", mixinStandardHelpOptions = true,
        description = {"Scaffold .devcontainer/ (kap.toml, devcontainer.json, compose files).",
                "An existing devcontainer.json is converted; its keys, order and comments are kept."})
final class InitCommand implements Callable<Integer> {

    @Option(names = {"-p", "--project-dir"}, paramLabel = "DIR", defaultValue = ".",
            description = "the project (default: the current directory)")
    Path projectDir;

    @Option(names = {"-y", "--yes"}, description = "accept the defaults instead of asking")
    boolean yes;

    @Option(names = {"-f", "--force"}, description = "overwrite an existing kap.toml")
    boolean force;

    @Option(names = "--image", paramLabel = "IMAGE", defaultValue = Scaffold.DEFAULT_IMAGE,
            description = "the app image of a new project (default: ${DEFAULT-VALUE})")
    String image;

    @Override
    public Integer call() throws IOException {
        PrintStream out = System.out;
        Path dir = projectDir.toRealPath();
        Path dc = dir.resolve(".devcontainer");
        Path json = dc.resolve("devcontainer.json");
        boolean fresh = !Files.exists(dc);
        if (!fresh && !Files.exists(json)) {
            throw new KapException(".devcontainer/ exists but has no devcontainer.json at " + json);
        }
        Path toml = dc.resolve("kap.toml");
        if (Files.exists(toml) && !force) {
            throw new KapException("kap.toml already exists at " + toml + ". Use --force to overwrite.");
        }
        Prompter prompter = new Prompter(yes, out);
        HostTools host = new HostTools(System.getenv());
        Devcontainer existing = fresh ? null : Devcontainer.read(json);
        if (existing != null && !existing.usesCompose() && !prompter.confirm(conversionPlan(existing))) {
            throw new KapException("aborted");
        }
        InitChoices choices = choose(prompter, host, out);
        String name = existing != null && existing.name().isPresent() ? existing.name().get()
                : dir.getFileName().toString();
        String workspace = existing != null && existing.workspaceFolder().isPresent()
                ? existing.workspaceFolder().get() : "/workspaces/" + dir.getFileName();
        Files.createDirectories(dc);
        List<String> created = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        write(toml, KapTomlTemplate.render(choices), created);
        if (fresh) {
            write(dc.resolve(Scaffold.COMPOSE), Scaffold.composeFile(image, workspace), created);
            write(json, Scaffold.devcontainerJson(name, image), created);
        } else {
            convertExisting(existing, dc, workspace, created, notes);
        }
        notes.addAll(new ProjectFiles(dir, name).finish(choices, workspace, created));
        out.println((fresh ? "Created" : "Updated") + " .devcontainer/ with:");
        created.forEach(f -> out.println("  " + f));
        notes.forEach(n -> out.println("  NOTE: " + n));
        out.println();
        out.println("Next steps:");
        out.println("  1. Review .devcontainer/kap.toml and adjust the allowed domains");
        out.println("  2. Run: kap up");
        return 0;
    }

    private void convertExisting(Devcontainer d, Path dc, String workspace, List<String> created, List<String> notes)
            throws IOException {
        if (!d.usesCompose()) {
            Path compose = dc.resolve(Scaffold.COMPOSE);
            if (Files.exists(compose)) {
                notes.add(Scaffold.COMPOSE + " exists and was left alone: make sure service 'app' is the "
                        + "devcontainer");
            } else {
                write(compose, composeFor(d, workspace), created);
            }
        }
        JsoncEditor editor = new JsoncEditor(Files.readString(d.file(), StandardCharsets.UTF_8));
        notes.addAll(Scaffold.convert(editor, d, workspace));
        if (!d.usesCompose()) {
            editor.remove(List.of(), "build");
        }
        Files.writeString(d.file(), editor.text(), StandardCharsets.UTF_8);
        created.add(".devcontainer/devcontainer.json (updated; your other settings and comments are kept)");
    }

    private static String composeFor(Devcontainer d, String workspace) {
        if (d.image().isPresent()) {
            return Scaffold.composeFile(d.image().get(), workspace);
        }
        var build = d.build().orElseThrow(() -> new KapException(
                "devcontainer.json has no image, build or dockerComposeFile: nothing to convert"));
        String context = String.valueOf(build.containsKey("context") ? build.get("context") : ".");
        String text = Scaffold.composeFile("kap-app-build", workspace).replace("    image: kap-app-build\n",
                "    build:\n      context: " + Scaffold.yamlScalar(context) + "\n"
                        + (build.get("dockerfile") != null
                        ? "      dockerfile: " + Scaffold.yamlScalar(String.valueOf(build.get("dockerfile"))) + "\n"
                        : "")
                        + (build.get("target") != null
                        ? "      target: " + Scaffold.yamlScalar(String.valueOf(build.get("target"))) + "\n" : ""));
        return text;
    }

    private static String conversionPlan(Devcontainer d) {
        return "kap runs the agent next to a sidecar, so this devcontainer becomes a compose project:\n"
                + "  + Create .devcontainer/" + Scaffold.COMPOSE + " (service 'app' from your "
                + (d.image().isPresent() ? "image" : "build") + ")\n"
                + "  ~ Update devcontainer.json (your other keys and comments are kept)\n"
                + "  - Remove \"" + (d.image().isPresent() ? "image" : "build") + "\" from devcontainer.json\n"
                + "  Proceed?";
    }

    private static InitChoices choose(Prompter prompter, HostTools host, PrintStream out) {
        boolean gh = host.onPath("gh").isPresent();
        boolean claude = prompter.ask("  Install Claude Code?", true);
        boolean codex = prompter.ask("  Install Codex (OpenAI)?", false);
        boolean ghInside = gh && prompter.ask("  Install GitHub CLI in container?", true);
        boolean signing = false;
        var program = host.customSshSigningProgram();
        if (program.isPresent()) {
            out.println("  SSH commit signing detected (gpg.ssh.program = " + program.get() + ").");
            out.println("  That program does not exist in the capsule; kap can sign with ssh-keygen and your agent.");
            signing = prompter.ask("  Configure git commit signing in container?", true);
        }
        return new InitChoices(gh, signing, claude, codex, ghInside);
    }

    private static void write(Path file, String text, List<String> created) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
        created.add(".devcontainer/" + file.getFileName());
    }
}
