/*
 * Data files installed with the programs: see datadir.h.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "datadir.h"

#ifndef DF_DATADIR
#define DF_DATADIR "/usr/local/share/datafactory"
#endif

/* Try DIR/REL; on success return the malloc'ed path. */
static char *
try_dir(const char *dir, const char *rel, struct buf *tried)
{
	char *p;
	size_t n;

	n = strlen(dir) + 1 + strlen(rel) + 1;
	p = df_xmalloc(n);
	snprintf(p, n, "%s/%s", dir, rel);
	if (access(p, R_OK) == 0)
		return p;
	if (tried->len > 0)
		buf_adds(tried, ", ");
	buf_adds(tried, p);
	free(p);
	return NULL;
}

char *
df_data_path(const char *rel, struct df_err *err)
{
	struct buf tried = BUF_INIT;
	char exe[PATH_MAX], *p, *slash;
	const char *env;
	ssize_t n;

	env = getenv("DF_DATADIR");
	if (env != NULL && *env != '\0') {
		if ((p = try_dir(env, rel, &tried)) != NULL)
			goto found;
		goto missing;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		/* bin/df-x -> bin -> the tree, then data/ */
		if ((slash = strrchr(exe, '/')) != NULL) {
			*slash = '\0';
			if ((slash = strrchr(exe, '/')) != NULL) {
				strcpy(slash, "/data");
				if ((p = try_dir(exe, rel, &tried)) != NULL)
					goto found;
			}
		}
	}
	if ((p = try_dir(DF_DATADIR, rel, &tried)) != NULL)
		goto found;
missing:
	df_err_set(err, "no-data-file", "%s: not found (tried %s; set "
	    "DF_DATADIR)", rel, tried.len ? tried.data : "nothing");
	buf_release(&tried);
	return NULL;
found:
	buf_release(&tried);
	return p;
}
