/**
 * The kap policy API: configuration model and loading, decisions, address classification, hot reload and the
 * audit log.
 *
 * <p>Entry points: {@link kap.policy.ConfigLoader} and {@link kap.policy.LivePolicy} to load and follow
 * {@code kap.toml}; {@link kap.policy.Policy} to decide; {@link kap.policy.AuditLog} to record.
 */
package kap.policy;
