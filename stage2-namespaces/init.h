/* The container's PID 1. */
#pragma once

/* Fork COMMAND and stay behind as its PID 1: reap orphans, forward signals.
 * Returns COMMAND's wait status, or -1. */
int init_run(char *const command[]);
