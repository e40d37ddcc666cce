/* libarchive and libcrypto on first use. See lazy_libraries.h. */
#include "lazy_libraries.h"

#include <dlfcn.h>

#include "report.h"

#define LAZY_DEFINE(name) typeof(name) *sym_##name;
LIBARCHIVE_FUNCTIONS(LAZY_DEFINE)
LIBCRYPTO_FUNCTIONS(LAZY_DEFINE)
#undef LAZY_DEFINE

// tag::load[]
int lazy_library_load(struct lazy_library *library)
{
	if (library->handle)
		return 0;
	trace("dlopen(\"%s\"): %s it", library->soname, library->needed_for);
	void *handle = dlopen(library->soname, RTLD_NOW | RTLD_LOCAL);
	if (!handle)
		return error_set("%s %s: %s", library->needed_for, library->soname, dlerror());
	for (const struct lazy_symbol *s = library->symbols; s->name; s++) {
		/* POSIX lets dlsym(3)'s data pointer stand for a function's. */
		*s->address = dlsym(handle, s->name);
		if (!*s->address)
			return error_set("%s has no %s: %s", library->soname, s->name, dlerror());
	}
	library->handle = handle;
	return 0;
}
// end::load[]

static const struct lazy_symbol archive_symbols[] = { LIBARCHIVE_FUNCTIONS(LAZY_SYMBOL) { 0 } };
static const struct lazy_symbol crypto_symbols[] = { LIBCRYPTO_FUNCTIONS(LAZY_SYMBOL) { 0 } };

/* The file names the dynamic linker would have looked for had box been
 * linked with -larchive -lcrypto: the Makefile reads them from the
 * libraries' own ELF headers (their SONAME), so they match the headers
 * box was built with. */
static struct lazy_library libarchive = { LIBARCHIVE_SONAME, "tarballs need", archive_symbols, NULL };
static struct lazy_library libcrypto = { LIBCRYPTO_SONAME, "tarballs need", crypto_symbols, NULL };

int lazy_libraries_load(void)
{
	return lazy_library_load(&libarchive) < 0 || lazy_library_load(&libcrypto) < 0 ? -1 : 0;
}
