/* Resources that free themselves when their variable goes out of scope, so
 * every error path is a plain `return -1`. (GCC and Clang's cleanup attribute,
 * as systemd and crun use it.) */
#pragma once
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static inline void free_pointer(void *p) { free(*(void **)p); }
static inline void close_fd(const int *fd) { if (*fd >= 0) close(*fd); }
static inline void close_file(FILE **f) { if (*f) fclose(*f); }
static inline void close_dir(DIR **d) { if (*d) closedir(*d); }

#define _cleanup_free_     __attribute__((cleanup(free_pointer)))
#define _cleanup_close_    __attribute__((cleanup(close_fd)))
#define _cleanup_fclose_   __attribute__((cleanup(close_file)))
#define _cleanup_closedir_ __attribute__((cleanup(close_dir)))
