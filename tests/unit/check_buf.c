/*
 * Unit tests for the growable buffer of lib/buf.c, above all its
 * invariants: len <= cap, and a NUL at data[len] whenever cap > 0.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "suites.h"

/* Check the invariants of buf.h and that b holds exactly want[0..n). */
static void
check_buf(const struct buf *b, const char *want, size_t n)
{
	ck_assert_uint_eq(b->len, n);
	if (b->cap == 0) {
		ck_assert_uint_eq(b->len, 0);
		return;
	}
	ck_assert_ptr_nonnull(b->data);
	ck_assert_uint_lt(b->len, b->cap);
	ck_assert_int_eq(b->data[b->len], '\0');
	if (n > 0)
		ck_assert_mem_eq(b->data, want, n);
}

START_TEST(test_init)
{
	struct buf b = BUF_INIT;

	ck_assert_ptr_null(b.data);
	ck_assert_uint_eq(b.len, 0);
	ck_assert_uint_eq(b.cap, 0);
	buf_reset(&b);
	check_buf(&b, "", 0);
	buf_release(&b);
	check_buf(&b, "", 0);
	ck_assert_ptr_null(b.data);
}
END_TEST

START_TEST(test_grow)
{
	struct buf b = BUF_INIT;
	char *p;
	size_t cap;

	/* A first allocation must already hold the terminating NUL. */
	buf_grow(&b, 100);
	ck_assert_uint_ge(b.cap, 101);
	check_buf(&b, "", 0);

	buf_adds(&b, "abc");
	p = b.data;
	cap = b.cap;
	buf_grow(&b, cap - 4);
	ck_assert_ptr_eq(b.data, p);
	ck_assert_uint_eq(b.cap, cap);
	buf_grow(&b, 0);
	ck_assert_uint_eq(b.cap, cap);
	buf_grow(&b, cap - 3);
	ck_assert_uint_ge(b.cap, 3 + (cap - 3) + 1);
	check_buf(&b, "abc", 3);
	buf_release(&b);

	buf_grow(&b, 0);
	ck_assert_uint_ge(b.cap, 1);
	check_buf(&b, "", 0);
	buf_release(&b);
}
END_TEST

START_TEST(test_add)
{
	struct buf b = BUF_INIT;

	buf_add(&b, "ab", 2);
	check_buf(&b, "ab", 2);
	buf_add(&b, NULL, 0);
	check_buf(&b, "ab", 2);
	buf_add(&b, "\0c\0", 3);
	check_buf(&b, "ab\0c\0", 5);
	buf_adds(&b, "de");
	check_buf(&b, "ab\0c\0de", 7);
	buf_adds(&b, "");
	check_buf(&b, "ab\0c\0de", 7);
	buf_addc(&b, 'f');
	buf_addc(&b, '\0');
	buf_addc(&b, 0xff);
	check_buf(&b, "ab\0c\0def\0\xff", 10);
	buf_release(&b);

	buf_adds(&b, "");
	check_buf(&b, "", 0);
	buf_release(&b);
}
END_TEST

START_TEST(test_add_many)
{
	struct buf b = BUF_INIT;
	char chunk[300];
	size_t i, total;

	for (i = 0; i < sizeof(chunk); i++)
		chunk[i] = (char)('a' + i % 26);

	/* One byte at a time, through many reallocations. */
	for (i = 0; i < 5000; i++) {
		buf_addc(&b, chunk[i % 26]);
		ck_assert_uint_eq(b.len, i + 1);
		ck_assert_uint_lt(b.len, b.cap);
		ck_assert_int_eq(b.data[b.len], '\0');
	}
	for (i = 0; i < 5000; i++)
		ck_assert_int_eq(b.data[i], 'a' + i % 26);
	buf_release(&b);

	/* Chunks of every size from 0 to 299, each crossing some boundary. */
	total = 0;
	for (i = 0; i < sizeof(chunk); i++) {
		buf_add(&b, chunk, i);
		ck_assert_uint_eq(b.len, total + i);
		ck_assert_uint_lt(b.len, b.cap);
		ck_assert_int_eq(b.data[b.len], '\0');
		ck_assert_mem_eq(b.data + total, chunk, i);
		total += i;
	}
	ck_assert_uint_eq(total, 299 * 300 / 2);
	buf_release(&b);
}
END_TEST

START_TEST(test_addf)
{
	struct buf b = BUF_INIT;
	char big[500];

	buf_addf(&b, "%s", "");
	check_buf(&b, "", 0);
	buf_addf(&b, "%d-%s", 42, "x");
	check_buf(&b, "42-x", 4);
	buf_addf(&b, "%c%zu", 'y', (size_t)7);
	check_buf(&b, "42-xy7", 6);

	memset(big, 'z', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	buf_addf(&b, "[%s]", big);
	ck_assert_uint_eq(b.len, 6 + 2 + 499);
	ck_assert_mem_eq(b.data, "42-xy7[zzz", 10);
	ck_assert_int_eq(b.data[b.len - 1], ']');
	ck_assert_int_eq(b.data[b.len], '\0');
	ck_assert_uint_eq(strlen(b.data), b.len);

	buf_reset(&b);
	buf_addf(&b, "%.3f|%5s|%-3d|", 1.5, "ab", 7);
	check_buf(&b, "1.500|   ab|7  |", 16);
	buf_release(&b);
}
END_TEST

START_TEST(test_reset)
{
	struct buf b = BUF_INIT;
	char *p;
	size_t cap;

	buf_adds(&b, "some text");
	p = b.data;
	cap = b.cap;
	buf_reset(&b);
	check_buf(&b, "", 0);
	ck_assert_ptr_eq(b.data, p);
	ck_assert_uint_eq(b.cap, cap);
	ck_assert_str_eq(b.data, "");
	buf_adds(&b, "new");
	check_buf(&b, "new", 3);
	ck_assert_ptr_eq(b.data, p);
	buf_release(&b);
	ck_assert_ptr_null(b.data);
	ck_assert_uint_eq(b.cap, 0);
	buf_adds(&b, "again");
	check_buf(&b, "again", 5);
	buf_release(&b);
}
END_TEST

START_TEST(test_detach)
{
	struct buf b = BUF_INIT;
	size_t len = 99;
	char *p;

	buf_add(&b, "a\0b", 3);
	p = buf_detach(&b, &len);
	ck_assert_uint_eq(len, 3);
	ck_assert_mem_eq(p, "a\0b", 4);
	ck_assert_ptr_null(b.data);
	ck_assert_uint_eq(b.len, 0);
	ck_assert_uint_eq(b.cap, 0);
	free(p);

	/* The buffer is usable again. */
	buf_adds(&b, "xyz");
	p = buf_detach(&b, NULL);
	ck_assert_str_eq(p, "xyz");
	free(p);

	/* An empty buffer gives an empty string, never NULL. */
	len = 99;
	p = buf_detach(&b, &len);
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(len, 0);
	ck_assert_int_eq(p[0], '\0');
	free(p);

	buf_adds(&b, "abc");
	buf_reset(&b);
	p = buf_detach(&b, &len);
	ck_assert_uint_eq(len, 0);
	ck_assert_int_eq(p[0], '\0');
	free(p);
}
END_TEST

Suite *
buf_suite(void)
{
	Suite *s = suite_create("buf");
	TCase *tc;

	tc = tcase_create("buf");
	tcase_add_test(tc, test_init);
	tcase_add_test(tc, test_grow);
	tcase_add_test(tc, test_add);
	tcase_add_test(tc, test_add_many);
	tcase_add_test(tc, test_addf);
	tcase_add_test(tc, test_reset);
	tcase_add_test(tc, test_detach);
	suite_add_tcase(s, tc);
	return s;
}
