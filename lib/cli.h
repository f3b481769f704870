/*
 * Command-line plumbing shared by every program: start-up, number
 * parsing, usage and version output.
 */
#ifndef DF_CLI_H
#define DF_CLI_H

/*
 * Set the program name from argv[0], restore the default SIGPIPE action
 * (a parent may have left it ignored; a closed pipe must end us quietly)
 * and make sure descriptors 0, 1 and 2 are open.
 */
void cli_init(int argc, char *argv[]);

/*
 * Parse s as a decimal integer in [min, max], as OpenBSD's strtonum(3).
 * Returns the value, or 0 with *errstr set to "invalid", "too small" or
 * "too large"; *errstr is NULL on success.
 */
long long cli_strtonum(const char *s, long long min, long long max,
    const char **errstr);

/*
 * Parse s as a number with an optional binary suffix (k, M, G: 2^10, 2^20,
 * 2^30), within [min, max].  Returns as cli_strtonum.
 */
long long cli_strtosize(const char *s, long long min, long long max,
    const char **errstr);

/*
 * Parse s as a finite decimal number in [min, max] whatever the locale.
 * Returns 0 and stores it in *out, or -1.
 */
int cli_strtod(const char *s, double min, double max, double *out);

/*
 * Print the one-line usage (the text after "usage: ") and a pointer to
 * --help on stderr, and exit 2.
 */
void cli_usage_error(const char *usage) __attribute__((noreturn));

/* Print "prog: msg", the pointer to --help, and exit 2. */
void cli_bad(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));

/* Print "PROG VERSION" on stdout and exit 0. */
void cli_version(void) __attribute__((noreturn));

/*
 * Print help (usage line and the option text) on stdout and exit 0.
 */
void cli_help(const char *usage, const char *text) __attribute__((noreturn));

/* Close stdout, reporting a write error and exiting 2 on failure. */
void cli_close_stdout(void);

#endif
