package kap.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Yes/no questions on the terminal; with {@code --yes}, or without an answer (end of input), the default applies.
 */
final class Prompter {

    private final boolean yes;
    private final PrintStream out;
    private final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));

    Prompter(boolean yes, PrintStream out) {
        this.yes = yes;
        this.out = out;
    }

    boolean ask(String question, boolean defaultAnswer) {
        if (yes) {
            return defaultAnswer;
        }
        out.print(question + (defaultAnswer ? " [Y/n] " : " [y/N] "));
        out.flush();
        try {
            String line = in.readLine();
            if (line == null || line.isBlank()) {
                return defaultAnswer;
            }
            String a = line.strip().toLowerCase(Locale.ROOT);
            return a.equals("y") || a.equals("yes");
        } catch (IOException e) {
            return defaultAnswer;
        }
    }

    boolean confirm(String plan) {
        return ask(plan, true);
    }
}
