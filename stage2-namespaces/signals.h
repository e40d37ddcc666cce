/* Waiting for a child while passing signals on to it: box does it for the
 * container's PID 1, and box's --init does it for the command. */
#pragma once
#include <sys/types.h>

/* Block the signals that are forwarded, and SIGCHLD, so that none is lost
 * before supervise() waits for them. Call once, before the first fork. */
int signals_block(void);

/* Give a process about to exec the signal mask box started with, and the
 * default action for every forwarded signal. */
void signals_restore(void);

/* --stop-timeout SECONDS: how long a SIGTERM or SIGINT passed on to the
 * container may take to end it before box sends SIGKILL (docker stop's 10). */
#define STOP_TIMEOUT_DEFAULT 10
#define STOP_NEVER (-1) /* the init's own supervise(): never escalate */
int stop_timeout_parse(const char *value, void *target);

#define STOP_TIMEOUT_OPTION(target) \
	{ "stop-timeout", "SECONDS", "after SIGTERM or SIGINT, SIGKILL the container this much later " \
	  "(default 10, -1: never)", stop_timeout_parse, target }

/* Wait for CHILD to end, forwarding SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1
 * and SIGUSR2 to it and reaping every other child that ends meanwhile (a PID
 * 1 inherits orphans). STOP_TIMEOUT seconds after the first SIGTERM or SIGINT
 * CHILD is still there: SIGKILL it, and say so (STOP_NEVER: wait on).
 * Returns CHILD's wait status, or -1. */
int supervise(pid_t child, int stop_timeout);
