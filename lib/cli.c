/*
 * Command-line plumbing (cli.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "diag.h"

void
cli_init(int argc, char *argv[])
{
	const char *p;
	int fd;

	if (argc > 0 && argv[0] != NULL) {
		p = strrchr(argv[0], '/');
		df_progname = p ? p + 1 : argv[0];
		/* getopt(3) names the program by argv[0] in its messages. */
		argv[0] = (char *)df_progname;
	}
	signal(SIGPIPE, SIG_DFL);
	/* Keep 0-2 taken, so no file we open lands on them (curl). */
	for (;;) {
		fd = open("/dev/null", O_RDWR);
		if (fd < 0)
			die_errno("/dev/null");
		if (fd > 2) {
			close(fd);
			break;
		}
	}
}

long long
cli_strtonum(const char *s, long long min, long long max, const char **errstr)
{
	char *end;
	long long v;

	*errstr = NULL;
	if (s == NULL || *s == '\0' || min > max) {
		*errstr = "invalid";
		return 0;
	}
	errno = 0;
	v = strtoll(s, &end, 10);
	if (*end != '\0' || end == s) {
		*errstr = "invalid";
		return 0;
	}
	if ((v == LLONG_MIN && errno == ERANGE) || v < min) {
		*errstr = "too small";
		return 0;
	}
	if ((v == LLONG_MAX && errno == ERANGE) || v > max) {
		*errstr = "too large";
		return 0;
	}
	return v;
}

long long
cli_strtosize(const char *s, long long min, long long max, const char **errstr)
{
	char num[64];
	size_t n;
	long long v, mul = 1;

	*errstr = NULL;
	n = s ? strlen(s) : 0;
	if (n == 0 || n >= sizeof(num)) {
		*errstr = "invalid";
		return 0;
	}
	memcpy(num, s, n + 1);
	switch (num[n - 1]) {
	case 'k': case 'K':
		mul = 1LL << 10;
		break;
	case 'm': case 'M':
		mul = 1LL << 20;
		break;
	case 'g': case 'G':
		mul = 1LL << 30;
		break;
	}
	if (mul != 1)
		num[n - 1] = '\0';
	v = cli_strtonum(num, 0, LLONG_MAX / mul, errstr);
	if (*errstr != NULL)
		return 0;
	v *= mul;
	if (v < min) {
		*errstr = "too small";
		return 0;
	}
	if (v > max) {
		*errstr = "too large";
		return 0;
	}
	return v;
}

/*
 * The grammar is checked by hand so "0,5", "1e", "nan" and "0x10" are
 * refused whatever the library accepts; strtod(3) then runs under the C
 * locale, so a program that does set LC_NUMERIC still reads "0.5".
 */
static locale_t c_numeric;

int
cli_strtod(const char *s, double min, double max, double *out)
{
	const char *p = s;
	char *end;
	double v;
	int digits = 0, err;
	locale_t old = (locale_t)0;

	if (s == NULL)
		return -1;
	if (*p == '+' || *p == '-')
		p++;
	while (*p >= '0' && *p <= '9')
		p++, digits++;
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++)
			digits++;
	if (digits == 0)
		return -1;
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (!(*p >= '0' && *p <= '9'))
			return -1;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p != '\0')
		return -1;
	/* The C locale's '.' whatever LC_NUMERIC says (POSIX uselocale). */
	if (c_numeric == (locale_t)0)
		c_numeric = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
	if (c_numeric != (locale_t)0)
		old = uselocale(c_numeric);
	errno = 0;
	v = strtod(s, &end);
	err = errno;
	if (c_numeric != (locale_t)0)
		uselocale(old);
	if (*end != '\0' || err == ERANGE || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

void
cli_usage_error(const char *usage)
{
	fprintf(stderr, "usage: %s\n", usage);
	fprintf(stderr, "try '%s --help' for more information\n", df_progname);
	exit(2);
}

void
cli_bad(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", df_progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\ntry '%s --help' for more information\n",
	    df_progname);
	exit(2);
}

void
cli_close_stdout(void)
{
	int bad;

	bad = fflush(stdout) != 0 || ferror(stdout);
	if (fclose(stdout) != 0 || bad) {
		if (errno == EPIPE) {
			signal(SIGPIPE, SIG_DFL);
			raise(SIGPIPE);
		}
		die_errno("stdout");
	}
}

void
cli_version(void)
{
	printf("%s %s\n", df_progname, DF_VERSION);
	cli_close_stdout();
	exit(0);
}

void
cli_help(const char *usage, const char *text)
{
	printf("usage: %s\n%s", usage, text);
	cli_close_stdout();
	exit(0);
}
