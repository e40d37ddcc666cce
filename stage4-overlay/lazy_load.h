/* A shared library loaded the first time it is needed (dlopen(3)), and the
 * functions box takes from it (dlsym(3)). lazy_libraries.h says why. */
#pragma once

/* One function: its name in the library, and box's pointer to it. */
struct lazy_symbol {
	const char *name;
	void **address;
};
/* LAZY_SYMBOL(archive_read_new): the entry for pointer sym_archive_read_new. */
#define LAZY_SYMBOL(name) { #name, (void **)&sym_##name },

struct lazy_library {
	const char *soname;                /* the file, as the ELF header names it */
	const char *needed_for;            /* for the error: "tarballs need ..." */
	const struct lazy_symbol *symbols; /* ends with { 0 } */
	void *handle;                      /* once loaded; never dlclose(3)d */
};

/* Load LIBRARY and find each of its symbols: 0, or -1 with the error set
 * (the library missing, or without a function). Only the first call does
 * any work. */
int lazy_library_load(struct lazy_library *library);
