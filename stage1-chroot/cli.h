/* The command line every stage shares: box [OPTIONS] ROOTFS COMMAND [ARG...].
 *
 * A stage lists its options in a table; each later stage's table holds the
 * earlier ones too, so a stage accepts every option of the stages before it.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include "report.h"

struct cli_option {
	const char *name;  /* "hostname" is --hostname */
	const char *value; /* the value's name in --help ("NAME"), NULL for a flag */
	const char *help;  /* one line for --help */
	/* Store the value (NULL for a flag) in target; on bad input, error_set()
	 * a reason such as "\"12q\" is not a size (try 64m)" and return -1. */
	int (*parse)(const char *value, void *target);
	void *target;
};

struct cli_program {
	const char *summary;              /* what this stage adds, one line */
	const struct cli_option *options; /* ends with an all-zero entry */
};

/* Parse the options (--name VALUE or --name=VALUE) up to the first operand
 * or "--"; return the index of the first operand. --help and --version are
 * answered here; bad input exits 125 with one line. */
int cli_parse(int argc, char **argv, const struct cli_program *program);

/* The operands after the options: ROOTFS and COMMAND [ARG...]; a missing
 * one is a usage error (exit 125). */
void cli_operands(int argc, char **argv, int first, const char **rootfs, char ***command);

/* "box: <message> (see box --help)" and exit 125. */
_Noreturn void cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

int cli_set_flag(const char *value, void *target);   /* bool */
int cli_set_string(const char *value, void *target); /* const char * */

#define CLI_TRACE_OPTION \
	{ "trace", NULL, "narrate each step on stderr", cli_set_flag, &trace_enabled }
