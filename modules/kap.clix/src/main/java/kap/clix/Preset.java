package kap.clix;

import java.util.List;
import java.util.Map;
import java.util.Set;

import kap.policy.FlagSpec;
import kap.policy.Rule;

/**
 * What kap knows about a tool: how its flags read, which variables carry its credentials, and which commands leak
 * or change them. A preset's deny rules are added to the tool's own deny list and cannot be allowed by it.
 *
 * @param name preset name, such as {@code gh}
 * @param flags the tool's global flags, so a flag before the subcommand cannot hide it
 * @param env variables passed to the tool by default, in addition to the tool's {@code env}
 * @param plainEnv variables among those that are not secrets, so their values are not redacted
 * @param fixedEnv variables always set for the tool (no prompts, no pager, no update checks)
 * @param deny deny rules, compiled
 */
record Preset(String name, FlagSpec flags, List<String> env, Set<String> plainEnv, Map<String, String> fixedEnv,
              List<Rule> deny) {

    /** No preset: nothing known about the tool. */
    static final Preset NONE = new Preset("none", FlagSpec.NONE, List.of(), Set.of(), Map.of(), List.of());

    Preset {
        env = List.copyOf(env);
        plainEnv = Set.copyOf(plainEnv);
        fixedEnv = Map.copyOf(fixedEnv);
        deny = List.copyOf(deny);
    }
}
