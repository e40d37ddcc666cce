/* Waiting for a child while passing signals on to it: box does it for the
 * container, and the container's PID 1 does it for the command. */
#pragma once
#include <sys/types.h>

/* Block the signals that are forwarded, and SIGCHLD, so that none is lost
 * before supervise() waits for them. Call once, before the first fork. */
int signals_block(void);

/* Give a process about to exec the signal mask box started with, and the
 * default action for every forwarded signal. */
void signals_restore(void);

/* Wait for CHILD to end, forwarding SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1
 * and SIGUSR2 to it and reaping every other child that ends meanwhile (a PID
 * 1 inherits orphans). Returns CHILD's wait status, or -1. */
int supervise(pid_t child);
