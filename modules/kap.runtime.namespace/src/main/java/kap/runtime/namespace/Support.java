package kap.runtime.namespace;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Whether {@code kap run} can isolate a command here, and if not, why and what to do about it. Every refusal names
 * the cause and the fix: kap never runs a command without its namespaces.
 */
final class Support {

    static final String RESTRICT_APPARMOR = "kernel/apparmor_restrict_unprivileged_userns";
    static final String USERNS_CLONE = "kernel/unprivileged_userns_clone";
    static final String MAX_USERNS = "user/max_user_namespaces";

    private Support() {
    }

    /**
     * What rules {@code kap run} out before trying: quick checks of files only.
     *
     * @param host the machine
     * @return the reason it cannot run, with the fix, or empty if it may
     */
    static Optional<String> blocker(Host host) {
        if (!host.linux()) {
            return Optional.of("kap run needs Linux user and network namespaces, and this is " + host.os()
                    + ". Fix: use the Docker runtime (kap up), or run kap run in a Linux VM.");
        }
        if (SeccompFilter.Machine.of(host.arch()) == null) {
            return Optional.of("kap run's system-call filter knows x86_64 and aarch64, not " + host.arch()
                    + ". Fix: use the Docker runtime (kap up).");
        }
        List<String> missing = new ArrayList<>();
        for (String program : List.of("unshare", "setpriv")) {
            if (host.program(program).isEmpty()) {
                missing.add(program);
            }
        }
        if (!missing.isEmpty()) {
            return Optional.of("kap run needs " + String.join(" and ", missing) + " from util-linux, which is not"
                    + " installed. Fix: install util-linux (Debian and Ubuntu: apt-get install util-linux; Alpine: "
                    + "apk add util-linux-misc).");
        }
        if (host.sysctl(MAX_USERNS).filter("0"::equals).isPresent()) {
            return Optional.of("user namespaces are switched off (user.max_user_namespaces is 0). Fix: sudo sysctl -w"
                    + " user.max_user_namespaces=15000, and put that in /etc/sysctl.d/ to keep it.");
        }
        if (!host.root() && host.sysctl(USERNS_CLONE).filter("0"::equals).isPresent()) {
            return Optional.of("unprivileged user namespaces are switched off "
                    + "(kernel.unprivileged_userns_clone is 0). Fix: sudo sysctl -w kernel.unprivileged_userns_clone=1,"
                    + " and put that in /etc/sysctl.d/ to keep it.");
        }
        return Optional.empty();
    }

    /**
     * Explains a failed attempt to create the namespaces.
     *
     * @param host the machine
     * @param error what {@code unshare} said
     * @return the cause and the fix
     */
    static String diagnose(Host host, String error) {
        String said = error.isBlank() ? "" : " (unshare said: " + error.strip().replace('\n', ' ') + ")";
        if (!host.root() && host.sysctl(RESTRICT_APPARMOR).filter("1"::equals).isPresent()) {
            return "AppArmor keeps unprivileged programs from using user namespaces"
                    + " (kernel.apparmor_restrict_unprivileged_userns is 1, as on Ubuntu 23.10 and later)" + said
                    + ". Fix: give unshare an AppArmor profile that allows them (docs/RUN.md shows one), or sudo"
                    + " sysctl -w kernel.apparmor_restrict_unprivileged_userns=0.";
        }
        if (error.contains("No space left")) {
            return "the user namespace limit is reached (user.max_user_namespaces)" + said
                    + ". Fix: sudo sysctl -w user.max_user_namespaces=15000.";
        }
        return "the kernel refused to create the capsule's namespaces" + said + ". Inside a container, the"
                + " container's seccomp profile usually forbids them: run kap run on the host, or use kap up. "
                + "Otherwise check user.max_user_namespaces and kernel.unprivileged_userns_clone (docs/RUN.md).";
    }
}
