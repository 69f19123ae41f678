/**
 * Test support shared by kap's modules: waiting for conditions with deadlines and similar plumbing. Used only in
 * test scope, where it sits on the class path; it depends on nothing of kap so any module's tests can use it.
 */
module kap.testing {
    exports kap.testing;
}
