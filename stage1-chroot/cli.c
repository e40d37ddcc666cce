/* The command line every stage shares. See cli.h. */
#include "cli.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void print_help(const struct cli_program *program)
{
	printf("Usage: box [OPTIONS] ROOTFS COMMAND [ARG...]\n\n%s\n\nOptions:\n",
	       program->summary);
	for (const struct cli_option *o = program->options; o->name; o++) {
		char left[64];

		snprintf(left, sizeof(left), "--%s%s%s", o->name,
			 o->value ? " " : "", o->value ? o->value : "");
		printf("  %-30s %s\n", left, o->help);
	}
	printf("  %-30s %s\n  %-30s %s\n", "--help", "show this help and exit",
	       "--version", "show the version and exit");
	printf("\nExit status: the command's own; 128+N if it was killed by signal N;\n"
	       "125 if box failed; 126 if COMMAND cannot be executed; 127 if it is not found.\n");
}

_Noreturn void cli_usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("box: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs(" (see box --help)\n", stderr);
	exit(EXIT_BOX_FAILED);
}

static const struct cli_option *find_option(const struct cli_program *program,
					    const char *name, size_t length)
{
	for (const struct cli_option *o = program->options; o->name; o++)
		if (strlen(o->name) == length && strncmp(o->name, name, length) == 0)
			return o;
	return NULL;
}

int cli_parse(int argc, char **argv, const struct cli_program *program)
{
	int i;

	for (i = 1; i < argc; i++) {
		const char *arg = argv[i];

		if (strcmp(arg, "--") == 0)
			return i + 1;
		if (arg[0] != '-' || arg[1] == '\0')
			break; /* the first operand: options end here */
		if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
			print_help(program);
			exit(0);
		}
		if (strcmp(arg, "--version") == 0) {
			printf("box %s (%s)\n", BOX_VERSION, BOX_STAGE);
			exit(0);
		}
		if (arg[1] != '-')
			cli_usage_error("unknown option %s", arg);

		const char *name = arg + 2;
		const char *equals = strchr(name, '=');
		size_t length = equals ? (size_t)(equals - name) : strlen(name);
		const struct cli_option *option = find_option(program, name, length);
		const char *value = NULL;

		if (!option)
			cli_usage_error("unknown option --%.*s", (int)length, name);
		if (option->value) {
			if (equals)
				value = equals + 1;
			else if (i + 1 < argc)
				value = argv[++i];
			else
				cli_usage_error("--%s needs a value (%s)", option->name, option->value);
		} else if (equals) {
			cli_usage_error("--%s takes no value", option->name);
		}
		if (option->parse(value, option->target) < 0)
			die("--%s: %s", option->name, error_message());
	}
	return i;
}

void cli_operands(int argc, char **argv, int first, const char **rootfs, char ***command)
{
	if (first >= argc)
		cli_usage_error("missing ROOTFS and COMMAND");
	if (first + 1 >= argc)
		cli_usage_error("missing COMMAND after ROOTFS %s", argv[first]);
	*rootfs = argv[first];
	*command = &argv[first + 1];
}

int cli_set_flag(const char *value, void *target)
{
	(void)value;
	*(bool *)target = true;
	return 0;
}

int cli_set_string(const char *value, void *target)
{
	if (value[0] == '\0')
		return error_set("the value is empty");
	*(const char **)target = value;
	return 0;
}
