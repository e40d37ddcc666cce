/* --log FILE and --log-format text|json: where the runtime's errors,
 * warnings and (with --debug) its narration go, as well as stderr. JSON is
 * runc's shape, one object a line: {"level":"error","msg":"...","time":"..."},
 * what containerd's shim and podman read back. */
#pragma once
#include <stdbool.h>
#include <stddef.h>

/* Open FILE for appending (NULL: no log) in FORMAT ("text", "json"). */
int log_open(const char *file, const char *format);

/* The time now, RFC 3339 with nanoseconds, UTC, as Go's time.RFC3339Nano
 * (log lines, the state's "created"). */
void time_now_rfc3339(char *text, size_t size);
