/**
 * kap.clix: see docs/ARCHITECTURE.md. This module is a placeholder until its issue lands; it exports nothing.
 */
module kap.clix {
    requires kap.policy;
}
