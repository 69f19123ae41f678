package kap.remote;

/**
 * The POSIX shell scripts the daemon runs inside a capsule (through {@link AgentShell}). Every value reaches them as a
 * positional argument, never inside the script text, so nothing a client sends is ever parsed by the shell; ids are
 * also checked against a strict pattern before they get here. The original interpolated the session id into a
 * {@code find} command line.
 */
final class AgentScripts {

    /** Lists sessions: "=lines<TAB>path", five head lines, "-", three tail lines, "." per file. Args: roots. */
    static final String LIST = """
            for p in "$@"; do for d in $p; do
              [ -d "$d" ] || continue
              find "$d" -maxdepth 2 -name '*.jsonl' -not -path '*/subagents/*' -type f 2>/dev/null
            done; done | sort -u | head -n 200 | while IFS= read -r f; do
              printf '=%s\\t%s\\n' "$(wc -l < "$f" | tr -d ' ')" "$f"
              head -n 5 "$f" | cut -c1-262144
              echo -
              tail -n 3 "$f" | cut -c1-262144
              echo .
            done
            """;

    /** Finds a session file by id into $f, or exits 3. Args: id, then roots. */
    private static final String FIND = """
            id=$1; shift
            f=""
            for p in "$@"; do for d in $p; do
              [ -d "$d" ] || continue
              f=$(find "$d" -maxdepth 2 -name "$id.jsonl" -not -path '*/subagents/*' -type f 2>/dev/null | head -n 1)
              [ -n "$f" ] && break 2
            done; done
            [ -n "$f" ] || { echo "session not found" >&2; exit 3; }
            """;

    /**
     * Reads a session file: first line its size, then its bytes from an offset (or, for a negative offset, its last
     * bytes), at most max. Args: offset, max, id, roots.
     */
    static final String READ = "off=$1; max=$2; shift 2\n" + FIND + """
            wc -c < "$f" | tr -d ' '
            if [ "$off" -lt 0 ]; then tail -c "$max" "$f"; else tail -c +$((off + 1)) "$f" | head -c "$max"; fi
            """;

    /** Prints "running" if the session file changed in the last 15 s, else "idle". Args: id, roots. */
    static final String STATUS = FIND + """
            now=$(date +%s); m=$(stat -c %Y "$f" 2>/dev/null || echo 0)
            if [ $((now - m)) -le 15 ]; then echo running; else echo idle; fi
            """;

    /**
     * Finds the agent's process: a {@code claude} executable, or node or a shell running a script named
     * {@code claude}; when there are several, the one working in the session's directory. Sets $pid. Arg: cwd.
     */
    private static final String FIND_AGENT = """
            want=$1; pid=""; count=0; any=""
            for d in /proc/[0-9]*; do
              p=${d#/proc/}
              [ "$p" = "$$" ] && continue
              a0=$(tr '\\0' '\\n' < "$d/cmdline" 2>/dev/null | sed -n 1p); a0=${a0##*/}
              a1=$(tr '\\0' '\\n' < "$d/cmdline" 2>/dev/null | sed -n 2p); a1=${a1##*/}
              case "$a0" in
                claude) ;;
                node|node[0-9]*|sh|bash|dash) case "$a1" in claude|cli.js|cli.mjs) ;; *) continue ;; esac ;;
                *) continue ;;
              esac
              count=$((count + 1)); any=$p
              if [ -n "$want" ] && [ "$(readlink "$d/cwd" 2>/dev/null)" = "$want" ]; then pid=$p; fi
            done
            if [ -z "$pid" ] && [ "$count" -eq 1 ]; then pid=$any; fi
            """;

    /** Sends SIGINT to the agent; prints "cancelled PID" or "none". Arg: cwd. */
    static final String CANCEL = FIND_AGENT + """
            if [ -z "$pid" ]; then echo none; exit 0; fi
            kill -INT "$pid" && echo "cancelled $pid"
            """;

    /**
     * Interrupts the running agent, then resumes the session with a new prompt in the background. Prints
     * "started PID". Args: cwd, id, message.
     */
    static final String MESSAGE = FIND_AGENT + """
            if [ -n "$pid" ]; then kill -INT "$pid" 2>/dev/null; sleep 1; fi
            id=$2; msg=$3
            bin=$(command -v claude 2>/dev/null \\
              || ls /home/*/.local/bin/claude /root/.local/bin/claude 2>/dev/null | head -n 1)
            [ -n "$bin" ] || { echo "claude not found in the capsule" >&2; exit 127; }
            cd "$want" 2>/dev/null || cd /workspace 2>/dev/null || cd
            log=$(mktemp /tmp/kap-steer.XXXXXX)
            nohup "$bin" --resume "$id" --dangerously-skip-permissions -p "$msg" > "$log" 2>&1 < /dev/null &
            echo "started $!"
            """;

    private AgentScripts() {
    }
}
