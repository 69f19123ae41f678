/**
 * kap.remote: see docs/ARCHITECTURE.md. This module is a placeholder until its issue lands; it exports nothing.
 */
module kap.remote {
    requires kap.policy;
}
