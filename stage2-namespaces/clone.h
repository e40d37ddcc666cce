/* A child in new namespaces, held until its parent has finished with it. */
#pragma once
#include <sys/types.h>

struct spawn {
	pid_t pid;      /* the child, as the parent sees it */
	int release_fd; /* the parent writes one byte here to let the child go on */
};

/* clone(2) a child into the namespaces in FLAGS (CLONE_NEWPID | ...). Like
 * fork(2) it returns twice: in the parent with spawn->pid set, in the child
 * with spawn->pid == 0 once the parent called spawn_release(). A child whose
 * parent dies or gives up before that exits without a word. */
int spawn_child(int flags, struct spawn *spawn);

/* Let the child go on: its id maps (and, later, its cgroup) are in place. */
int spawn_release(struct spawn *spawn);

/* Give up on a child that was not released: close, kill, reap. */
void spawn_abort(struct spawn *spawn);

/* "NEWPID|NEWNS|..." for --trace. */
const char *clone_flags_name(int flags);
