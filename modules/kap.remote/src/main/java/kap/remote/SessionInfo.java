package kap.remote;

import java.util.Optional;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One Claude Code session of a capsule's agent, for the session list.
 *
 * @param id the session id (the JSONL file's name)
 * @param project the project, decoded from the session's directory name
 * @param task the first thing the user asked, cut to 80 characters, if found
 * @param branch the git branch the session started on, if recorded
 * @param cwd the working directory, if recorded
 * @param worktree the git worktree name, when the working directory is under {@code /.worktrees/}
 * @param lastEvent the time stamp of the last line that has one
 * @param eventCount lines in the file
 */
record SessionInfo(String id, String project, Optional<String> task, Optional<String> branch, Optional<String> cwd,
                   Optional<String> worktree, Optional<String> lastEvent, long eventCount) {

    /** JSON: task, cwd and worktree left out when absent; branch and last_event null when absent. */
    ObjectNode toJson() {
        ObjectNode n = Api.object().put("id", id).put("project", project);
        task.ifPresent(v -> n.put("task", v));
        n.put("branch", branch.orElse(null));
        cwd.ifPresent(v -> n.put("cwd", v));
        worktree.ifPresent(v -> n.put("worktree", v));
        n.put("last_event", lastEvent.orElse(null));
        n.put("event_count", eventCount);
        return n;
    }
}
