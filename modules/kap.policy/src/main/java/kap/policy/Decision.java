package kap.policy;

import java.util.Objects;
import java.util.Optional;

/**
 * A policy decision. It always says why: {@link #reason()} is one of the stable strings in {@link Reasons}, optionally
 * followed by detail after {@code ": "}, and {@link #rule()} names the rule that matched, if any.
 *
 * @param verdict allow or deny
 * @param reason why, never blank
 * @param rule the rule as written in kap.toml, or empty when no rule decided
 * @param isDefault {@code true} when no rule matched and the fail-closed default applied
 */
public record Decision(Verdict verdict, String reason, Optional<String> rule, boolean isDefault) {

    /**
     * Validates the decision.
     *
     * @throws IllegalArgumentException if the reason is blank
     */
    public Decision {
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(rule, "rule");
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("a decision needs a reason");
        }
    }

    /**
     * An allow decided by a rule.
     *
     * @param reason why
     * @param rule the rule that allowed
     * @return decision
     */
    public static Decision allow(String reason, String rule) {
        return new Decision(Verdict.ALLOW, reason, Optional.of(rule), false);
    }

    /**
     * A deny decided by a rule.
     *
     * @param reason why
     * @param rule the rule that denied
     * @return decision
     */
    public static Decision deny(String reason, String rule) {
        return new Decision(Verdict.DENY, reason, Optional.of(rule), false);
    }

    /**
     * A deny that no rule decided: the fail-closed default.
     *
     * @param reason why
     * @return decision
     */
    public static Decision denyByDefault(String reason) {
        return new Decision(Verdict.DENY, reason, Optional.empty(), true);
    }

    /**
     * An allow without a rule, for checks that pass unless something is wrong (such as a public address).
     *
     * @param reason why
     * @return decision
     */
    public static Decision pass(String reason) {
        return new Decision(Verdict.ALLOW, reason, Optional.empty(), false);
    }

    /**
     * Whether the verdict is {@link Verdict#ALLOW}.
     *
     * @return {@code true} if allowed
     */
    public boolean allowed() {
        return verdict == Verdict.ALLOW;
    }

    /**
     * The rule, or {@code "-"} when none decided; for log lines.
     *
     * @return rule text
     */
    public String ruleOrDash() {
        return rule.orElse("-");
    }
}
