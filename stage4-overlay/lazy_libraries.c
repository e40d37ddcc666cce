/* libarchive and libcrypto on first use. See lazy_libraries.h. */
#include "lazy_libraries.h"

#include <dlfcn.h>
#include <stdbool.h>

#include "report.h"

#define LAZY_DEFINE(library, name) typeof(name) *sym_##name;
LAZY_FUNCTIONS(LAZY_DEFINE)
#undef LAZY_DEFINE

/* The file names the dynamic linker would have looked for had box been
 * linked with -larchive -lcrypto: the Makefile reads them from the
 * libraries' own ELF headers (their SONAME), so they match the headers
 * box was built with. */
static const char *const sonames[] = {
	[LIBARCHIVE] = LIBARCHIVE_SONAME,
	[LIBCRYPTO] = LIBCRYPTO_SONAME,
};

// tag::load[]
int lazy_libraries_load(void)
{
	static bool loaded;
	void *handles[sizeof(sonames) / sizeof(sonames[0])];

	if (loaded)
		return 0;
	for (size_t i = 0; i < sizeof(sonames) / sizeof(sonames[0]); i++) {
		trace("dlopen(\"%s\"): a tarball needs it", sonames[i]);
		/* Never dlclose(3)d: box uses them until it exits. */
		handles[i] = dlopen(sonames[i], RTLD_NOW | RTLD_LOCAL);
		if (!handles[i])
			return error_set("tarballs need %s: %s", sonames[i], dlerror());
	}
	/* POSIX lets a data pointer from dlsym(3) be turned into a function pointer. */
#define LAZY_FIND(library, name)                                                          \
	sym_##name = (typeof(name) *)dlsym(handles[library], #name);                      \
	if (!sym_##name)                                                                  \
		return error_set("%s has no %s: %s", sonames[library], #name, dlerror());
	LAZY_FUNCTIONS(LAZY_FIND)
#undef LAZY_FIND
	loaded = true;
	return 0;
}
// end::load[]
