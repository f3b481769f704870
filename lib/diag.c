/*
 * Diagnostics and checked allocation (diag.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

const char *df_progname = "df";
void (*diag_before)(void);

static void
vreport(int errnum, const char *fmt, va_list ap)
{
	char msg[1024];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (diag_before)
		diag_before();
	if (errnum)
		fprintf(stderr, "%s: %s: %s\n", df_progname, msg,
		    strerror(errnum));
	else
		fprintf(stderr, "%s: %s\n", df_progname, msg);
}

void
die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(0, fmt, ap);
	va_end(ap);
	exit(2);
}

void
die_errno(const char *fmt, ...)
{
	va_list ap;
	int errnum = errno;

	va_start(ap, fmt);
	vreport(errnum, fmt, ap);
	va_end(ap);
	exit(2);
}

void
warnmsg(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(0, fmt, ap);
	va_end(ap);
}

void
warnmsg_errno(const char *fmt, ...)
{
	va_list ap;
	int errnum = errno;

	va_start(ap, fmt);
	vreport(errnum, fmt, ap);
	va_end(ap);
}

void *
df_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		die("out of memory");
	return p;
}

void *
df_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (p == NULL)
		die("out of memory");
	return p;
}

void *
df_xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (p == NULL)
		die("out of memory");
	return p;
}

char *
df_xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(df_xmalloc(n), s, n);
}

int
df_err_set(struct df_err *e, const char *reason, const char *fmt, ...)
{
	va_list ap;

	e->reason = reason;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return -1;
}

void
df_err_prefix(struct df_err *e, const char *prefix)
{
	size_t n = strlen(prefix), m = strlen(e->msg);

	if (n >= sizeof(e->msg))
		n = sizeof(e->msg) - 1;
	if (m > sizeof(e->msg) - 1 - n)
		m = sizeof(e->msg) - 1 - n;
	memmove(e->msg + n, e->msg, m);
	memcpy(e->msg, prefix, n);
	e->msg[n + m] = '\0';
}
