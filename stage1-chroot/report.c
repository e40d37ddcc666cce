/* Errors as values, one message each, and --trace narration. See report.h. */
#include "report.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char last_error[1024];
bool trace_enabled;
int report_exit_status = EXIT_BOX_FAILED;
void (*report_sink)(const char *level, const char *message);

/* Formatted into a buffer of its own first: the arguments may include
 * the last message itself (error_set("--ip: %s", error_message())). */
int error_set(const char *fmt, ...)
{
	char message[sizeof(last_error)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	memcpy(last_error, message, sizeof(last_error));
	return -1;
}

int error_errno(const char *fmt, ...)
{
	int saved_errno = errno;
	char message[sizeof(last_error)];
	size_t used;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	used = strlen(message);
	snprintf(message + used, sizeof(message) - used, ": %s", strerror(saved_errno));
	memcpy(last_error, message, sizeof(last_error));
	errno = saved_errno;
	return -1;
}

const char *error_message(void)
{
	return last_error[0] ? last_error : "unknown error";
}

/* "box: <message>\n" in one write(2): the container's PID 1 and its command
 * write to the same stderr, and their lines must not cut into each other. */
static void say(const char *level, const char *fmt, va_list ap)
{
	char line[2048];
	int length = snprintf(line, sizeof(line), "box: ");

	length += vsnprintf(line + length, sizeof(line) - length - 1, fmt, ap);
	if (length > (int)sizeof(line) - 2)
		length = sizeof(line) - 2;
	if (report_sink) {
		line[length] = '\0';
		report_sink(level, line + 5);
		if (strcmp(level, "debug") == 0)
			return; /* narration goes to the log alone */
	}
	line[length++] = '\n';
	fflush(stderr);
	if (write(STDERR_FILENO, line, (size_t)length) < 0)
		return; /* nowhere left to say it */
}

_Noreturn void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say("error", fmt, ap);
	va_end(ap);
	exit(report_exit_status);
}

_Noreturn void die_with_error(void)
{
	die("%s", error_message());
}

void warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say("warning", fmt, ap);
	va_end(ap);
}

void trace(const char *fmt, ...)
{
	va_list ap;

	if (!trace_enabled)
		return;
	va_start(ap, fmt);
	say("debug", fmt, ap);
	va_end(ap);
}
