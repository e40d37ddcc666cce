/* final: the full runtime, two faces over one path through the mechanisms.
 *
 *     box [OPTIONS] ROOTFS COMMAND [ARG...]       every stage's contract (contract.c)
 *     box [GLOBAL OPTIONS] VERB [OPTIONS] ID ...  the OCI runtime's, as runc's and crun's
 *
 * A first word that names a verb is a verb; anything else is the stage
 * contract, whose ROOTFS is a path. Both fill one description of a
 * container (config.h) and create it through container.c.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "contract.h"
#include "init.h"
#include "log.h"
#include "profile.h"
#include "report.h"
#include "runtime.h"

const struct verb verbs[] = {
	{ "create", "[--bundle DIR] [--pid-file FILE] [--console-socket SOCKET] [--preserve-fds N] "
		    "[--no-pivot] [--no-new-keyring] ID",
	  "set the container up from its bundle; its process waits for start", verb_create },
	{ "start", "ID", "let a created container's process run", verb_start },
	{ "state", "ID", "the container's OCI state, as JSON", verb_state },
	{ "kill", "[--all] ID [SIGNAL]", "send SIGNAL (default TERM; a name or a number) to the container", verb_kill },
	{ "delete", "[--force] ID", "remove a stopped container (--force: kill it first)", verb_delete },
	{ "run", "[--bundle DIR] [--detach] [--pid-file FILE] [--console-socket SOCKET] [--preserve-fds N] "
		 "[--no-pivot] [--no-new-keyring] ID",
	  "create and start; in the foreground, wait for it, delete it, and exit with its status", verb_run },
	{ "exec", "[--process FILE] [--tty] [--detach] [--pid-file FILE] [--console-socket SOCKET] [--cwd DIR] "
		  "[--env NAME=VALUE]... [--user UID[:GID]] [--cap CAP]... [--no-new-privs] "
		  "[--preserve-fds N] ID [COMMAND [ARG...]]",
	  "run another process in a running container", verb_exec },
	{ "ps", "[--format table|json] ID", "the container's processes", verb_ps },
	{ "list", "[--format table|json] [--quiet]", "every container under --root", verb_list },
	{ "pause", "ID", "freeze every process of the container (the freezer)", verb_pause },
	{ "resume", "ID", "thaw a paused container", verb_resume },
	{ "update", "--resources FILE|- ID", "change a container's limits (an OCI linux.resources object)", verb_update },
	{ "features", "", "what this runtime supports, as the OCI features JSON", verb_features },
	{ "spec", "[--rootless] [--bundle DIR]", "write a default config.json", verb_spec },
	{ "events", "[--stats] [--interval SECONDS] ID", "the container's cgroup statistics, as JSON", verb_events },
	{ 0 },
};

const struct verb *verb_find(const char *name)
{
	for (const struct verb *v = verbs; v->name; v++)
		if (strcmp(v->name, name) == 0)
			return v;
	return NULL;
}

_Noreturn void verb_usage_error(const char *verb, const char *fmt, ...)
{
	char message[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	die("%s: %s (see box %s --help)", verb, message, verb);
}

_Noreturn void verb_bad_option(const char *verb, char **argv, int option)
{
	/* getopt's own message is off (opterr): one line, this one. */
	const char *word = argv[optind - 1];
	if (option == ':')
		verb_usage_error(verb, "%s needs a value", word);
	if (optopt && (word[0] != '-' || word[1] == '-' || strlen(word) != 2)) /* -xz: the letter */
		verb_usage_error(verb, "unknown option -%c", optopt);
	verb_usage_error(verb, "unknown option %s", word);
}

void verb_help(const char *verb, const char *options_help)
{
	const struct verb *v = verb_find(verb);

	printf("Usage: box [GLOBAL OPTIONS] %s %s\n\n%s.\n", v->name, v->usage, v->summary);
	if (options_help && options_help[0])
		printf("\nOptions:\n%s", options_help);
	printf("\nExit status: 0, or 1 if box failed (its reason on stderr and in --log).\n");
}

static void help(void)
{
	printf("Usage: box [GLOBAL OPTIONS] VERB [OPTIONS] ID ...   (an OCI runtime, as runc)\n"
	       "       box [OPTIONS] ROOTFS COMMAND [ARG...]        (the stages' contract: below)\n\n"
	       "Global options:\n"
	       "  --root DIR                     the containers' state (default %s)\n"
	       "  --log FILE                     errors and warnings also go here\n"
	       "  --log-format text|json         runc's JSON lines with json\n"
	       "  --debug                        narrate each step into the log (or stderr)\n"
	       "  --systemd-cgroup               refused: box has no systemd cgroup driver\n"
	       "  --rootless[=true|false|auto]   no cgroups unless delegated (auto: when not root)\n\n"
	       "Verbs (box VERB --help for each):\n", ROOT_DEFAULT);
	for (const struct verb *v = verbs; v->name; v++)
		printf("  %-10s %s\n", v->name, v->summary);
	printf("\n");
	fflush(stdout);
}

/* runc's --version: what engines read (podman info). */
static void version(void)
{
	printf("box %s (%s)\nspec: %s\nlibseccomp: %s (loaded to compile a profile)\n", BOX_VERSION, BOX_STAGE,
	       OCI_VERSION, profile_compiler_version());
}

/* The root of an ordinary user: $XDG_RUNTIME_DIR/box, as runc's. */
static const char *root_default(void)
{
	static char root[4096];
	const char *runtime_dir = getenv("XDG_RUNTIME_DIR");

	if (geteuid() == 0)
		return ROOT_DEFAULT;
	if (runtime_dir && runtime_dir[0] == '/')
		snprintf(root, sizeof(root), "%s/box", runtime_dir);
	else
		snprintf(root, sizeof(root), "/tmp/box-%u/run", geteuid()); /* beside stage 4's state */
	return root;
}

// tag::main[]
int main(int argc, char **argv)
{
	if (init_requested(argv)) /* box again, as a container's --init */
		init_main(argv);
	struct runtime rt = { .root = root_default(), .rootless = geteuid() != 0 };
	const char *log_file = NULL, *log_format = NULL;
	/* The global options, as runc takes them; "-root" as "--root" too (Go's
	 * flag package: containerd's shim passes some so). */
	static const struct option globals[] = {
		{ "root", required_argument, NULL, 'r' },    { "log", required_argument, NULL, 'l' },
		{ "log-format", required_argument, NULL, 'f' }, { "debug", no_argument, NULL, 'd' },
		{ "systemd-cgroup", no_argument, NULL, 's' }, { "rootless", optional_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },          { "version", no_argument, NULL, 'v' },
		{ 0 },
	};
	int first = 1;
	bool systemd = false;
	/* Only while the words are global options: the first that is not ends
	 * them (a verb, or the stage contract's own options and ROOTFS). */
	while (first < argc && argv[first][0] == '-') {
		const char *word = argv[first] + (argv[first][1] == '-' ? 2 : 1);
		size_t length = strcspn(word, "=");
		const struct option *o = globals;
		while (o->name && (strlen(o->name) != length || strncmp(o->name, word, length) != 0))
			o++;
		if (!o->name)
			break;
		const char *value = word[length] == '=' ? word + length + 1 : NULL;
		if (o->has_arg == required_argument && !value) {
			if (first + 1 >= argc) {
				report_exit_status = 1; /* runc's options: runc's status */
				die("--%s needs a value (see box --help)", o->name);
			}
			value = argv[++first];
		}
		first++;
		switch (o->val) {
		case 'r': rt.root = value; break;
		case 'l': log_file = value; break;
		case 'f': log_format = value; break;
		case 'd': rt.debug = trace_enabled = true; break;
		case 's': systemd = true; break;
		case 'R':
			if (value && strcmp(value, "true") != 0 && strcmp(value, "false") != 0 &&
			    strcmp(value, "auto") != 0) {
				report_exit_status = 1;
				die("--rootless: \"%s\" is not true, false or auto", value);
			}
			rt.rootless = value && strcmp(value, "auto") != 0 ? strcmp(value, "true") == 0 : geteuid() != 0;
			break;
		case 'h': help(); first = argc + 1; break;
		case 'v': version(); return 0;
		}
	}
	if (first > argc) /* --help: the contract's part follows */
		return contract_main(&rt, 2, (char *[]){ argv[0], "--help", NULL });
	const struct verb *verb = first < argc ? verb_find(argv[first]) : NULL;
	if (!verb)
		return contract_main(&rt, argc - first + 1, argv + first - 1);
	/* A verb: its failures exit 1, as runc's, and go to the log too. */
	report_exit_status = 1;
	if (log_open(log_file, log_format) < 0)
		die_with_error();
	if (systemd)
		die("--systemd-cgroup: box has no systemd cgroup driver (it writes cgroupfs itself): "
		    "leave the option out, or give linux.cgroupsPath as a path");
	signal(SIGPIPE, SIG_IGN); /* a hook that does not read its state must not end us */
	opterr = 0;               /* verb_bad_option says it, in one line */
	return verb->run(&rt, argc - first, argv + first);
}
// end::main[]
