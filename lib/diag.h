/*
 * Diagnostics on standard error, in the form every datafactory program
 * uses: "df-split: FILE:LINE: message", lowercase, no final period, system
 * errors with ": strerror(errno)" appended.  Fatal errors exit 2.
 *
 * A progress line, when one is shown, is cleared before any diagnostic.
 */
#ifndef DF_DIAG_H
#define DF_DIAG_H

#include <stdarg.h>
#include <stddef.h>

/* The program name used as the prefix; set by cli_init(). */
extern const char *df_progname;

/* Print "prog: msg" and exit 2. */
void die(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));

/* Print "prog: msg: strerror(errno)" and exit 2. */
void die_errno(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));

/* Print "prog: msg" and go on. */
void warnmsg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Print "prog: msg: strerror(errno)" and go on. */
void warnmsg_errno(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Hook called before a diagnostic is printed (the progress line clears
 * itself through it).  NULL for none.
 */
extern void (*diag_before)(void);

/* Allocation that exits 2 with "out of memory" on failure. */
void *df_xmalloc(size_t n);
void *df_xcalloc(size_t n, size_t size);
void *df_xrealloc(void *p, size_t n);
char *df_xstrdup(const char *s);

/* An error message filled by a failing function (STYLE.md 4.3). */
struct df_err {
	char msg[512];
	const char *reason;	/* short reject reason, e.g. "missing-key" */
};

/*
 * Set e's reason (a static string) and its message from fmt.  Returns -1,
 * so a failing function can say "return df_err_set(e, ...)".
 */
int df_err_set(struct df_err *e, const char *reason, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Put prefix (e.g. "--key: ") before e's message. */
void df_err_prefix(struct df_err *e, const char *prefix);

#endif
