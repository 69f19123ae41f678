package kap.clix;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import kap.policy.CliTool;

/**
 * The environment a proxied tool runs with, built from nothing: the sidecar's {@code PATH} and {@code HOME} (and
 * {@code LANG}/{@code LC_ALL} if the sidecar sets them), quiet defaults ({@code NO_COLOR}, {@code PAGER=cat}), the
 * preset's fixed variables, and the configured variables ({@code env} and the preset's) taken from {@code .env} first,
 * then the sidecar's own environment. Nothing the agent sends is in it: the shim sends no environment.
 *
 * @param env the variables
 * @param secrets values to redact from output, with their names
 * @param fixedArgs the tool's fixed arguments with {@code ${NAME}} replaced
 */
record ToolEnvironment(Map<String, String> env, List<Redactor.Secret> secrets, List<String> fixedArgs) {

    /** Values shorter than this are not redacted: they would blank out ordinary words. */
    static final int MIN_SECRET_CHARS = 8;

    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    static ToolEnvironment build(CliTool tool, Preset preset, ClixSettings settings, Map<String, String> dotEnv,
                                 Map<String, String> sidecarEnv) throws ClixException {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", settings.pathValue());
        env.put("HOME", settings.home().toString());
        for (String locale : List.of("LANG", "LC_ALL")) {
            if (sidecarEnv.containsKey(locale)) {
                env.put(locale, sidecarEnv.get(locale));
            }
        }
        env.put("NO_COLOR", "1");
        env.put("PAGER", "cat");
        env.putAll(preset.fixedEnv());
        Set<String> names = new LinkedHashSet<>(tool.env());
        names.addAll(preset.env());
        List<Redactor.Secret> secrets = new ArrayList<>();
        for (String name : names) {
            String value = dotEnv.containsKey(name) ? dotEnv.get(name) : sidecarEnv.get(name);
            if (value == null) {
                continue;
            }
            env.put(name, value);
            if (!preset.plainEnv().contains(name) && value.length() >= MIN_SECRET_CHARS) {
                secrets.add(new Redactor.Secret(name, value.getBytes(StandardCharsets.UTF_8)));
            }
        }
        List<String> fixedArgs = new ArrayList<>();
        for (String arg : tool.fixedArgs()) {
            fixedArgs.add(expand(arg, dotEnv, sidecarEnv, tool.name()));
        }
        return new ToolEnvironment(env, secrets, fixedArgs);
    }

    /**
     * What direct mode hands the shim: the configured variables only.
     */
    static Map<String, String> direct(CliTool tool, Preset preset, Map<String, String> dotEnv,
                                      Map<String, String> sidecarEnv) {
        Map<String, String> env = new LinkedHashMap<>();
        Set<String> names = new LinkedHashSet<>(tool.env());
        names.addAll(preset.env());
        for (String name : names) {
            String value = dotEnv.containsKey(name) ? dotEnv.get(name) : sidecarEnv.get(name);
            if (value != null) {
                env.put(name, value);
            }
        }
        return env;
    }

    private static String expand(String arg, Map<String, String> dotEnv, Map<String, String> sidecarEnv,
                                 String tool) throws ClixException {
        Matcher m = REFERENCE.matcher(arg);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String value = dotEnv.containsKey(name) ? dotEnv.get(name) : sidecarEnv.get(name);
            if (value == null) {
                throw ClixException.misconfigured("fixed_args of " + tool + " use ${" + name + "}, which is set"
                        + " neither in the sidecar's .env nor in its environment");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }
}
