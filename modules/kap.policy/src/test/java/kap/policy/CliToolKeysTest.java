package kap.policy;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The {@code preset} and {@code fixed_args} keys of {@code [[cli.tools]]}: read with their values, absent by default,
 * and refused where they cannot apply.
 */
class CliToolKeysTest {

    private static CliTool tool(String toml) {
        return ConfigLoader.parse(toml, Path.of("kap.toml"), ListenDefaults.CONTAINER).config().cli().orElseThrow()
                .tools().getFirst();
    }

    @Test
    void readsPresetAndFixedArgs() {
        CliTool aws = tool("""
                [cli]
                [[cli.tools]]
                name = "s3"
                preset = "aws"
                allow = ["s3 *"]
                fixed_args = ["--endpoint-url", "${S3_ENDPOINT}"]
                """);
        assertThat(aws.preset(), is(Optional.of("aws")));
        assertThat(aws.fixedArgs(), is(List.of("--endpoint-url", "${S3_ENDPOINT}")));
    }

    @Test
    void bothAreEmptyWhenAbsent() {
        CliTool gh = tool("[cli]\n[[cli.tools]]\nname = \"gh\"\nallow = [\"*\"]\n");
        assertThat(gh.preset(), is(Optional.empty()));
        assertThat(gh.fixedArgs(), is(List.of()));
    }

    @Test
    void aPresetNameWithOddCharactersIsAnErrorWithItsLine() {
        ConfigException e = assertThrows(ConfigException.class, () -> tool("""
                [cli]
                [[cli.tools]]
                name = "gh"
                preset = "GH token"
                allow = ["*"]
                """));
        assertThat(e.getMessage(), containsString("kap.toml:4"));
        assertThat(e.getMessage(), containsString("preset 'GH token'"));
    }

    @Test
    void fixedArgsInDirectModeAreAnError() {
        ConfigException e = assertThrows(ConfigException.class, () -> tool("""
                [cli]
                [[cli.tools]]
                name = "aws"
                mode = "direct"
                fixed_args = ["--region", "eu-west-1"]
                """));
        assertThat(e.getMessage(), containsString("fixed_args apply only in proxy mode"));
    }
}
