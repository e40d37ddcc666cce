/* Errors as values, one message each, and --trace narration.
 *
 * A mechanism function returns 0 or -1. On -1 it has recorded one message that
 * names the operation and the path ("chroot /srv/root: No such file or
 * directory"); only main() decides to die with it.
 */
#pragma once
#include <stdbool.h>

/* Exit statuses, as Docker's: the command's own, 128+N after signal N, and: */
enum {
	EXIT_BOX_FAILED   = 125, /* box itself failed (bad input, a system call) */
	EXIT_CANNOT_EXEC  = 126, /* the command exists but cannot be executed */
	EXIT_NOT_FOUND    = 127, /* the command does not exist */
};

/* Record the message for the failing operation; always returns -1. */
int error_set(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The same, with ": strerror(errno)" appended; errno is kept. */
int error_errno(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The last recorded message. */
const char *error_message(void);

/* "box: <message>" on stderr, exit 125 (or report_exit_status: the final
 * runtime's OCI verbs fail with 1, as runc's). */
extern int report_exit_status;
_Noreturn void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* die() with the last recorded message. */
_Noreturn void die_with_error(void);

/* "box: <message>" on stderr, and go on: something the user must know. */
void warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* --trace: one line per step on stderr, in the words of the system calls. */
extern bool trace_enabled;
void trace(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Where messages go as well as stderr, if set: the final runtime's --log
 * file. LEVEL is "error" (die), "warning" (warn) or "debug" (trace, which
 * then goes there alone); MESSAGE has no "box: " and no newline. */
extern void (*report_sink)(const char *level, const char *message);
