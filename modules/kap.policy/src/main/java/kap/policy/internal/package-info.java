/**
 * Implementation of kap.policy: TOML reading, validation and the built-in matcher providers. Not exported.
 */
package kap.policy.internal;
