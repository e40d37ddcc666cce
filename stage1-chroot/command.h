/* Running the container's command, and the status box reports for it. */
#pragma once

/* The command's HOME: root's; from stage 6 on, --user's own. */
extern const char *command_home;

/* Replace this process with COMMAND (searched in PATH) in a clean
 * environment: PATH, HOME, TERM and HOSTNAME only. Never returns: when COMMAND
 * cannot run, says why and exits 127 (not found) or 126 (not executable). */
_Noreturn void command_exec(char *const command[]);

/* Docker's exit status for a wait(2) status: the exit code, or 128+N when
 * the process was killed by signal N. */
int command_status(int wait_status);
