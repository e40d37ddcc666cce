/* box create [OPTIONS] ID: the container set up from its bundle, its
 * process waiting inside it for `box start`; create itself exits.
 *
 * No process of box's stays: what waits is the container's own process,
 * which is also what will run the OCI process (it execs it). Its parent,
 * once create has exited, is whoever adopts orphans: conmon, the shim
 * (both subreapers, prctl(2) PR_SET_CHILD_SUBREAPER), or the machine's init.
 */
#include "lifecycle.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cleanup.h"
#include "console.h"
#include "faults.h"
#include "log.h"
#include "report.h"
#include "resources.h"

int create_option_parse(int option, const char *value, struct create_options *o)
{
	char *end;

	switch (option) {
	case 'b': o->bundle = value; return 0;
	case 'p': o->pid_file = value; return 0;
	case 'c': o->console_socket = value; return 0;
	case 'N': o->no_pivot = true; return 0;
	case 'K': o->no_new_keyring = true; return 0;
	case 'd': o->detach = true; return 0;
	case 'P':
		errno = 0;
		long n = strtol(value, &end, 10);
		if (end == value || *end || errno || n < 0 || n > 65536)
			return error_set("--preserve-fds: \"%s\" is not a number of descriptors", value);
		o->preserve_fds = (int)n;
		return 0;
	}
	return error_set("unknown option");
}

/* The PID, plain decimal without a newline (containerd reads it so),
 * written whole and renamed into place. */
static int pid_file_write(const char *file, pid_t pid)
{
	char temporary[4096 + 16], text[16];

	snprintf(temporary, sizeof(temporary), "%s.tmp", file);
	snprintf(text, sizeof(text), "%d", pid);
	_cleanup_close_ int fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text) || rename(temporary, file) < 0) {
		error_errno("--pid-file %s", file);
		unlink(temporary);
		return -1;
	}
	return 0;
}

/* What later verbs need of the config: the whole of it (poststop hooks,
 * update) and its process (exec's defaults). */
static int config_keep(const struct container_state *s, const struct container_config *config)
{
	if (json_dump_file(config->json, state_file(s, "config.json"), JSON_COMPACT) < 0)
		return error_errno("write %s", state_file(s, "config.json"));
	json_t *process = json_object_get(config->json, "process");
	if (process && json_dump_file(process, state_file(s, "process.json"), JSON_COMPACT) < 0)
		return error_errno("write %s", state_file(s, "process.json"));
	return 0;
}

// tag::create[]
int oci_create(const struct runtime *rt, const char *id, const struct create_options *o, bool terminal,
	       struct container_state *s, struct container *c, struct container_config *config, int *master)
{
	int pair[2] = { -1, -1 };

	memset(s, 0, sizeof(*s));
	s->dir_fd = s->lock_fd = -1;
	container_init(c);
	if (config_load(o->bundle ? o->bundle : ".", config) < 0 || state_create(rt, id, s) < 0)
		return -1;
	fault_point("create:after-state-dir");
	snprintf(s->bundle, sizeof(s->bundle), "%s", config->bundle);
	snprintf(s->rootfs, sizeof(s->rootfs), "%s", config->root);
	time_now_rfc3339(s->created, sizeof(s->created));
	json_t *annotations = json_object_get(config->json, "annotations");
	s->annotations = json_is_object(annotations) ? json_incref(annotations) : NULL;

	c->rt = rt;
	c->config = config;
	c->state = s;
	c->preserve_fds = o->preserve_fds;
	c->no_pivot = o->no_pivot;
	c->no_new_keyring = o->no_new_keyring;
	c->wait_for_start = true;
	if (config_keep(s, config) < 0)
		goto fail;
	fault_point("create:after-config-kept");
	if (config->process.terminal) {
		if (o->console_socket) {
			if ((c->console_fd = console_connect(o->console_socket)) < 0)
				goto fail;
		} else if (terminal) { /* run's own: the master comes back to us */
			if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) < 0) {
				error_errno("socketpair");
				goto fail;
			}
			c->console_fd = pair[1];
		}
	}
	if (container_create(c) < 0)
		goto fail;
	s->pid = c->pid;
	char letter;
	if (process_stat(c->pid, &s->start_time, &letter) < 0 || state_save(s) < 0 ||
	    (o->pid_file && pid_file_write(o->pid_file, c->pid) < 0) ||
	    (pair[0] >= 0 && (*master = console_receive(pair[0])) < 0)) {
		container_undo(c);
		goto fail;
	}
	fault_point("create:after-state-saved");
	if (pair[0] >= 0)
		close(pair[0]);
	trace("created %s: its process %d waits on %s", id, c->pid, state_file(s, "exec.fifo"));
	return 0;
fail:
	if (pair[0] >= 0)
		close(pair[0]);
	char message[1024];
	snprintf(message, sizeof(message), "%s", error_message());
	if (s->dir_fd >= 0)
		state_remove(s);
	return error_set("%s", message);
}
// end::create[]

int verb_create(const struct runtime *rt, int argc, char **argv)
{
	static const struct option options[] = { CREATE_OPTIONS, { "help", no_argument, NULL, 'h' }, { 0 } };
	struct create_options o = { 0 };
	int option;

	while ((option = getopt_long_only(argc, argv, "+:b:", options, NULL)) != -1) {
		if (option == 'h') {
			verb_help("create", CREATE_OPTIONS_HELP);
			return 0;
		}
		if (option == '?' || option == ':')
			verb_bad_option("create", argv, option);
		if (create_option_parse(option, optarg, &o) < 0)
			verb_usage_error("create", "%s", error_message());
	}
	if (optind + 1 != argc)
		verb_usage_error("create", "expected one container ID");
	struct container_state s;
	struct container c;
	struct container_config config;
	int status = oci_create(rt, argv[optind], &o, false, &s, &c, &config, NULL);
	free(c.filter.filter);
	free(c.cgroup);
	config_free(&config);
	state_close(&s);
	if (status < 0)
		die_with_error();
	return 0;
}
