/* The container's PID 1: the command itself, or with --init, box's own init. */
#pragma once
#include <stdbool.h>

#define INIT_OPTION(target) \
	{ "init", NULL, "run box's init as PID 1, to reap orphans and pass signals on " \
	  "(docker run --init)", cli_set_flag, target }

/* --init, first thing in the container's first process: fork(2). This
 * process, PID 1, re-executes box from a sealed copy in memory as the
 * container's init and never returns; the child, PID 2, returns 0 once the
 * init runs, and goes on to set the container up and exec the command. */
int init_start(void);

/* The container's last step: exec COMMAND with the signal mask and actions
 * box started with. Without --init the command becomes PID 1, as in Docker
 * and the OCI runtimes. Never returns (126 or 127 if COMMAND cannot run). */
_Noreturn void container_exec(char *const command[]);

/* Is this process box re-executed as a container's init (argv[0] is
 * "box-init" and it is PID 1)? Then main() calls init_main() first thing. */
bool init_requested(char *const argv[]);

/* The init's whole life: reap every orphan and pass signals on to the
 * command (PID 2) until it ends; exit with its status. */
_Noreturn void init_main(char *const argv[]);
