/**
 * The policy core every kap component trusts.
 *
 * <p>It owns:
 * <ul>
 *     <li>the {@code kap.toml} model: {@link kap.policy.ConfigLoader} turns TOML into wire records and then into the
 *     validated, immutable {@link kap.policy.KapConfig}, merging the global {@code ~/.kap/kap.toml};</li>
 *     <li>matchers, found through the {@link kap.policy.spi.MatcherProvider} SPI;</li>
 *     <li>decisions that always carry a verdict, a reason and the rule that matched ({@link kap.policy.Decision});</li>
 *     <li>address classification ({@link kap.policy.AddressClassifier});</li>
 *     <li>hot reload ({@link kap.policy.LivePolicy});</li>
 *     <li>the audit event log shared by every component ({@link kap.policy.AuditLog}).</li>
 * </ul>
 * It does no network I/O.
 *
 * @uses kap.policy.spi.MatcherProvider
 * @provides kap.policy.spi.MatcherProvider domain patterns, host:port rules, IP/CIDR literals, MCP name globs and CLI
 *         command patterns
 */
module kap.policy {
    requires com.electronwill.nightconfig.core;
    requires com.electronwill.nightconfig.toml;
    requires com.fasterxml.jackson.core;
    requires com.fasterxml.jackson.databind;
    requires java.logging;

    exports kap.policy;
    exports kap.policy.spi;

    uses kap.policy.spi.MatcherProvider;

    provides kap.policy.spi.MatcherProvider with
            kap.policy.internal.HostPortMatcherProvider,
            kap.policy.internal.CidrMatcherProvider,
            kap.policy.internal.DomainMatcherProvider,
            kap.policy.internal.NameGlobMatcherProvider,
            kap.policy.internal.CommandPatternMatcherProvider;
}
