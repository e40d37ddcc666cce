/* The lifecycle's steps that verbs share: create and run their options and
 * their first half, start, delete, a signal to every process. */
#pragma once
#include <stdbool.h>

#include "config.h"
#include "container.h"
#include "runtime.h"
#include "status.h"

struct create_options {
	const char *bundle;          /* --bundle; default "." */
	const char *pid_file;        /* --pid-file */
	const char *console_socket;  /* --console-socket */
	int preserve_fds;            /* --preserve-fds */
	bool no_pivot, no_new_keyring, detach;
};

/* The options both verbs take, for getopt_long_only(3), and their --help. */
int create_option_parse(int option, const char *value, struct create_options *o);
#define CREATE_OPTIONS \
	{ "bundle", required_argument, NULL, 'b' }, { "pid-file", required_argument, NULL, 'p' }, \
	{ "console-socket", required_argument, NULL, 'c' }, { "preserve-fds", required_argument, NULL, 'P' }, \
	{ "no-pivot", no_argument, NULL, 'N' }, { "no-new-keyring", no_argument, NULL, 'K' }
#define CREATE_OPTIONS_HELP \
	"  --bundle DIR            the bundle: config.json and its root (default: here)\n" \
	"  --pid-file FILE         write the container's PID there\n" \
	"  --console-socket PATH   send the terminal's master there (process.terminal)\n" \
	"  --preserve-fds N        pass descriptors 3 to 3+N-1 on to the process\n" \
	"  --no-pivot              chroot(2) into the root instead of pivot_root(2)\n" \
	"  --no-new-keyring        keep the caller's session keyring\n"

/* Create container ID from its bundle: S is its state (locked), C the
 * container, CONFIG its description; on success its process waits on
 * exec.fifo and state.json and the pid file are written. TERMINAL: run's
 * own terminal (no --console-socket), the master's end comes back in
 * *MASTER. On failure nothing is left and the error is set. */
int oci_create(const struct runtime *rt, const char *id, const struct create_options *o, bool terminal,
	       struct container_state *s, struct container *c, struct container_config *config, int *master);

/* Let a created container's process go on: the byte on exec.fifo, which
 * then goes; the poststart hooks. S is locked. */
int oci_start(struct container_state *s);

/* Remove a stopped container: its poststop hooks, its cgroup, its state. */
int oci_delete(struct container_state *s);

/* SIGNAL to every process in S's cgroup (its process alone if it has
 * none); a SIGKILL thaws a frozen group, or it would never arrive. */
int cgroup_signal(const struct container_state *s, int signal);
