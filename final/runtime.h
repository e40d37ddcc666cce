/* The OCI runtime's command line: the global options every verb gets, and
 * the verbs, one file each (create.c, start.c, ...), as crun lays them out.
 *
 *     box [--root DIR] [--log FILE] [--log-format text|json] [--debug]
 *         [--systemd-cgroup] [--rootless[=true|false|auto]] VERB [OPTIONS] ID ...
 */
#pragma once
#include <stdbool.h>

#define ROOT_DEFAULT "/run/box" /* root's; an ordinary user's is $XDG_RUNTIME_DIR/box */

struct runtime {
	const char *root; /* --root: where each container's state directory lives */
	bool rootless;    /* --rootless, or not root: no cgroup unless delegated */
	bool debug;       /* --debug: narrate (as --trace) into the log */
};

/* A verb: its name, one line of help, its usage, and its function, which
 * gets argv from the verb's own name on and returns the exit status. */
struct verb {
	const char *name;
	const char *usage;   /* "[--bundle DIR] [--pid-file FILE] ... ID" */
	const char *summary; /* one line */
	int (*run)(const struct runtime *rt, int argc, char **argv);
};

const struct verb *verb_find(const char *name);
extern const struct verb verbs[]; /* ends with an all-zero entry */

int verb_create(const struct runtime *rt, int argc, char **argv);
int verb_start(const struct runtime *rt, int argc, char **argv);
int verb_state(const struct runtime *rt, int argc, char **argv);
int verb_kill(const struct runtime *rt, int argc, char **argv);
int verb_delete(const struct runtime *rt, int argc, char **argv);
int verb_run(const struct runtime *rt, int argc, char **argv);
int verb_exec(const struct runtime *rt, int argc, char **argv);
int verb_ps(const struct runtime *rt, int argc, char **argv);
int verb_list(const struct runtime *rt, int argc, char **argv);
int verb_pause(const struct runtime *rt, int argc, char **argv);
int verb_resume(const struct runtime *rt, int argc, char **argv);
int verb_update(const struct runtime *rt, int argc, char **argv);
int verb_features(const struct runtime *rt, int argc, char **argv);
int verb_spec(const struct runtime *rt, int argc, char **argv);
int verb_events(const struct runtime *rt, int argc, char **argv);

/* A verb's usage error: "box VERB: MESSAGE (see box VERB --help)", exit 1. */
_Noreturn void verb_usage_error(const char *verb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* An option getopt refused ('?': unknown; ':': its value is missing). */
_Noreturn void verb_bad_option(const char *verb, char **argv, int option);

/* --help of a verb: its usage, summary and OPTIONS_HELP (lines). */
void verb_help(const char *verb, const char *options_help);
