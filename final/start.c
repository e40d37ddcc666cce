/* box start ID: let a created container's process go on to exec its
 * program. One byte on exec.fifo is the signal; the FIFO then goes, and
 * with it the "created" status. */
#include "lifecycle.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"
#include "hooks.h"
#include "report.h"

/* Until the container's process has exec'd its program: its end of
 * exec.fifo is close-on-exec, so a reader opened while the FIFO still has
 * a writer (WRITER, ours, closed here) sees it hang up then (POLLHUP,
 * pipe(7)), or when the process dies. The FIFO has no name any more:
 * /proc/self/fd opens it again. */
static void exec_wait(const struct container_state *s, int writer)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/self/fd/%d", writer);
	int reader = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	close(writer);
	if (reader < 0) {
		warn("poststart: open %s: %s (the hooks may run before %s's program)", path, strerror(errno), s->id);
		return;
	}
	struct pollfd hangup = { .fd = reader, .events = 0 };
	trace("poll(exec.fifo, POLLHUP): until %s's process has exec'd", s->id);
	while (poll(&hangup, 1, -1) < 0 && errno == EINTR)
		;
	close(reader);
}

// tag::start[]
int oci_start(struct container_state *s)
{
	enum container_status status = state_status(s);

	if (status != STATUS_CREATED)
		return error_set("cannot start container %s: it is %s, not created", s->id, status_name(status));
	/* LAB: open exec.fifo for writing without blocking (open(2) O_NONBLOCK: ENXIO when its process is gone, see fifo(7)), write one byte, then unlink it: the container is no longer created. */
	/* Non-blocking: the container's process holds the FIFO open for
	 * reading, or is gone (ENXIO: nobody reads). */
	_cleanup_close_ int fifo = openat(s->dir_fd, "exec.fifo", O_WRONLY | O_NONBLOCK | O_CLOEXEC);
	if (fifo < 0)
		return error_errno("cannot start container %s: %s", s->id,
				   errno == ENXIO ? "its process is gone" : "open exec.fifo");
	trace("write(exec.fifo, 1 byte): %s's process goes on to exec", s->id);
	if (write(fifo, "0", 1) != 1)
		return error_errno("write %s/exec.fifo", s->dir);
	if (unlinkat(s->dir_fd, "exec.fifo", 0) < 0)
		return error_errno("remove %s/exec.fifo", s->dir);
	/* LAB END (stub: int fifo = -1; return error_set("cannot start container %s: not written yet", s->id);) */
	/* poststart: after the start; a failing one is only a warning. */
	struct container_config config;
	if (config_hooks_load(state_file(s, "config.json"), &config) == 0 && config.hooks[HOOK_POSTSTART].count) {
		exec_wait(s, fifo);
		fifo = -1;
		json_t *state = state_json(s, STATUS_RUNNING);
		char *text = state ? json_dumps(state, JSON_COMPACT) : NULL;
		if (!text)
			warn("poststart: %s", error_message());
		else
			hooks_run(&config, HOOK_POSTSTART, text);
		free(text);
		json_decref(state);
	}
	config_free(&config);
	return 0;
}
// end::start[]

int verb_start(const struct runtime *rt, int argc, char **argv)
{
	static const struct option options[] = { { "help", no_argument, NULL, 'h' }, { 0 } };
	int option;

	while ((option = getopt_long_only(argc, argv, "+:", options, NULL)) != -1) {
		if (option == 'h') {
			verb_help("start", "");
			return 0;
		}
		verb_bad_option("start", argv, option);
	}
	if (optind + 1 != argc)
		verb_usage_error("start", "expected one container ID");
	struct container_state s;
	int status = state_open(rt, argv[optind], &s) < 0 || oci_start(&s) < 0 ? -1 : 0;
	state_close(&s);
	if (status < 0)
		die_with_error();
	return 0;
}
