/*
 * A growable byte buffer, in the manner of git's strbuf.
 *
 * Invariants: b->len <= b->cap; when b->cap > 0, b->data[b->len] is a NUL
 * byte, so b->data can be used as a C string when it holds no NUL of its
 * own.  A zeroed struct (BUF_INIT) is an empty buffer with no allocation.
 * Allocation failure is fatal (exit 2 with a message), as it is everywhere
 * in datafactory.
 */
#ifndef DF_BUF_H
#define DF_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *data;
	size_t len;
	size_t cap;
};

#define BUF_INIT { NULL, 0, 0 }

/* Make room for at least n more bytes (plus the NUL). */
void buf_grow(struct buf *b, size_t n);

/* Append len bytes from p. */
void buf_add(struct buf *b, const void *p, size_t len);

/* Append the C string s. */
void buf_adds(struct buf *b, const char *s);

/* Append one byte. */
void buf_addc(struct buf *b, int c);

/* Append printf-formatted text. */
void buf_addf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void buf_vaddf(struct buf *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

/* Empty the buffer, keeping its allocation. */
void buf_reset(struct buf *b);

/* Free the allocation; the buffer is empty and usable again. */
void buf_release(struct buf *b);

/*
 * Hand over the data, NUL-terminated (never NULL), and leave b empty.
 * The caller frees it.
 */
char *buf_detach(struct buf *b, size_t *len);

#endif
