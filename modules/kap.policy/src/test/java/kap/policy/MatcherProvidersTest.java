package kap.policy;

import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;

import kap.policy.spi.MatcherProvider;
import kap.policy.spi.MatcherScope;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.is;

class MatcherProvidersTest {

    @Test
    void serviceLoaderFindsEveryBuiltInProviderThroughModuleInfo() {
        Set<String> types = ServiceLoader.load(MatcherProvider.class).stream()
                .map(p -> p.get().type()).collect(Collectors.toSet());
        assertThat(types, containsInAnyOrder("domain", "host-port", "cidr", "mcp-glob", "cli-command"));
    }

    @Test
    void testsRunOnTheModulePath() {
        Module module = MatcherProvidersTest.class.getModule();
        assertThat(module.isNamed(), is(true));
        assertThat(module.getName(), is("kap.policy"));
        assertThat(module.getDescriptor().uses().contains(MatcherProvider.class.getName()), is(true));
    }

    @Test
    void everyScopeHasAtLeastOneProvider() {
        Set<MatcherScope> scopes = ServiceLoader.load(MatcherProvider.class).stream()
                .map(p -> p.get().scope()).collect(Collectors.toSet());
        assertThat(scopes, containsInAnyOrder(MatcherScope.values()));
    }
}
