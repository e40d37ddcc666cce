/* The runtime's log: see log.h. */
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "report.h"

static int log_fd = -1;
static bool log_json;

void time_now_rfc3339(char *text, size_t size)
{
	struct timespec now;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &now);
	gmtime_r(&now.tv_sec, &tm);
	size_t used = strftime(text, size, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(text + used, size - used, ".%09ldZ", now.tv_nsec);
}

/* One write(2) a line: verbs on one container may log at once. */
static void log_line(const char *level, const char *message)
{
	char time_text[64], line[4096];
	int length;

	time_now_rfc3339(time_text, sizeof(time_text));
	if (log_json) {
		json_t *entry = json_pack("{s:s, s:s, s:s}", "level", level, "msg", message, "time", time_text);
		char *text = entry ? json_dumps(entry, JSON_COMPACT) : NULL;
		length = snprintf(line, sizeof(line), "%s\n", text ? text : "{}");
		free(text);
		json_decref(entry);
	} else {
		length = snprintf(line, sizeof(line), "%s %s: %s\n", time_text, level, message);
	}
	if (length > (int)sizeof(line))
		length = sizeof(line);
	if (write(log_fd, line, (size_t)length) < 0)
		return; /* nowhere left to say it */
}

int log_open(const char *file, const char *format)
{
	if (format && strcmp(format, "json") != 0 && strcmp(format, "text") != 0)
		return error_set("--log-format: \"%s\" is not text or json", format);
	log_json = format && strcmp(format, "json") == 0;
	if (!file)
		return 0;
	log_fd = open(file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (log_fd < 0)
		return error_errno("--log %s", file);
	report_sink = log_line;
	return 0;
}
