package kap.cli;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;

/**
 * The sidecar's module graph, followed through {@code requires} from {@code kap.sidecar} and every listener module,
 * never reaches docker-java, ZXing or {@code kap.remote}: a sidecar runtime image can leave them out. Automatic
 * modules are followed as leaves, as they will be once the image build gives them descriptors.
 */
class ModuleGraphTest {

    private static final List<String> SIDECAR_ROOTS = List.of("kap.sidecar", "kap.egress", "kap.dns", "kap.mcp",
            "kap.clix");

    private final ModuleFinder finder = ModuleFinder.compose(ModuleFinder.ofSystem(),
            ModuleFinder.of(RuntimeModulePath.entries().toArray(Path[]::new)));

    private Set<String> closure(List<String> roots) {
        Set<String> seen = new TreeSet<>();
        Deque<String> todo = new ArrayDeque<>(roots);
        while (!todo.isEmpty()) {
            String name = todo.pop();
            if (!seen.add(name)) {
                continue;
            }
            Optional<ModuleReference> ref = finder.find(name);
            if (ref.isEmpty()) {
                continue;
            }
            ModuleDescriptor d = ref.get().descriptor();
            if (d.isAutomatic()) {
                continue;
            }
            d.requires().stream()
                    .filter(r -> !r.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC))
                    .forEach(r -> todo.push(r.name()));
        }
        return seen;
    }

    @Test
    void theSidecarGraphHasNoDockerJavaZxingOrRemote() {
        Set<String> graph = closure(SIDECAR_ROOTS);
        assertThat(graph.stream().filter(m -> m.startsWith("com.github.dockerjava") || m.startsWith("com.google.zxing")
                || m.equals("kap.remote") || m.equals("kap.cli") || m.startsWith("io.helidon")).toList(), is(empty()));
        assertThat(graph, hasItems("kap.policy", "kap.sidecar", "java.base"));
    }

    @Test
    void everySidecarRootIsOnTheModulePath() {
        for (String root : SIDECAR_ROOTS) {
            assertThat(root, finder.find(root).isPresent(), is(true));
        }
    }

    @Test
    void everyKapModuleExportsOnlyApiOrSpiPackages() {
        for (String root : SIDECAR_ROOTS) {
            ModuleDescriptor d = finder.find(root).orElseThrow().descriptor();
            for (ModuleDescriptor.Exports e : d.exports()) {
                assertThat(root + " exports " + e.source(), e.source().contains(".internal"), is(false));
            }
        }
    }
}
