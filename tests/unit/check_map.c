/*
 * Unit tests for lib/map.c: the 128-bit-keyed open-addressing map.
 */
#include <stdint.h>
#include <stdlib.h>

#include "map.h"
#include "suites.h"

/* A bijective 64-bit mixer, so test keys are distinct and scattered. */
static uint64_t
mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

START_TEST(test_empty)
{
	struct map m = MAP_INIT;

	ck_assert_ptr_null(map_get(&m, 1, 2));
	ck_assert_ptr_null(map_get(&m, 0, 0));
	map_release(&m);
	ck_assert_ptr_null(map_get(&m, 1, 2));
}
END_TEST

START_TEST(test_add_find)
{
	struct map m = MAP_INIT;
	uint64_t *v;
	int added = -1;

	v = map_put(&m, 1, 2, 42, &added);
	ck_assert_ptr_nonnull(v);
	ck_assert_int_eq(added, 1);
	ck_assert_uint_eq(*v, 42);
	ck_assert_uint_eq(m.n, 1);

	v = map_get(&m, 1, 2);
	ck_assert_ptr_nonnull(v);
	ck_assert_uint_eq(*v, 42);

	/* Keys differing in one half only are different keys. */
	ck_assert_ptr_null(map_get(&m, 2, 1));
	ck_assert_ptr_null(map_get(&m, 1, 3));
	ck_assert_ptr_null(map_get(&m, 0, 2));
	v = map_put(&m, 1, 3, 43, &added);
	ck_assert_int_eq(added, 1);
	ck_assert_uint_eq(*v, 43);
	ck_assert_uint_eq(*map_get(&m, 1, 2), 42);
	ck_assert_uint_eq(*map_get(&m, 1, 3), 43);
	ck_assert_uint_eq(m.n, 2);
	map_release(&m);
}
END_TEST

START_TEST(test_no_duplicate)
{
	struct map m = MAP_INIT;
	uint64_t *v;
	int added = -1;

	(void)map_put(&m, 7, 8, 1, &added);
	ck_assert_int_eq(added, 1);
	v = map_put(&m, 7, 8, 2, &added);
	ck_assert_int_eq(added, 0);
	/* The stored value stays; val is only for a new key. */
	ck_assert_uint_eq(*v, 1);
	ck_assert_uint_eq(*map_get(&m, 7, 8), 1);
	ck_assert_uint_eq(m.n, 1);
	map_release(&m);
}
END_TEST

START_TEST(test_value_update)
{
	struct map m = MAP_INIT;
	uint64_t *v;
	int added;

	v = map_put(&m, 5, 6, 0, &added);
	*v = 99;
	ck_assert_uint_eq(*map_get(&m, 5, 6), 99);
	v = map_get(&m, 5, 6);
	(*v)++;
	v = map_put(&m, 5, 6, 0, &added);
	ck_assert_int_eq(added, 0);
	ck_assert_uint_eq(*v, 100);
	*v = UINT64_MAX;
	ck_assert_uint_eq(*map_get(&m, 5, 6), UINT64_MAX);
	map_release(&m);
}
END_TEST

START_TEST(test_many)
{
	struct map m = MAP_INIT;
	uint64_t i, *v;
	const uint64_t n = 100000;
	int added;

	for (i = 0; i < n; i++) {
		v = map_put(&m, mix(i), mix(i + n), i * 3 + 1, &added);
		ck_assert_msg(added == 1, "key %llu not added",
		    (unsigned long long)i);
		ck_assert_uint_eq(*v, i * 3 + 1);
	}
	ck_assert_uint_eq(m.n, n);
	ck_assert(m.cap >= 2 * n);
	ck_assert((m.cap & (m.cap - 1)) == 0);
	for (i = 0; i < n; i++) {
		v = map_get(&m, mix(i), mix(i + n));
		ck_assert_msg(v != NULL, "key %llu lost",
		    (unsigned long long)i);
		ck_assert_uint_eq(*v, i * 3 + 1);
	}
	/* Keys never added are not found, and re-adding adds nothing. */
	for (i = 0; i < 1000; i++) {
		ck_assert_ptr_null(map_get(&m, mix(i + 2 * n), mix(i)));
		ck_assert_ptr_null(map_get(&m, mix(i), mix(i)));
	}
	for (i = 0; i < n; i += 97) {
		v = map_put(&m, mix(i), mix(i + n), 0, &added);
		ck_assert_int_eq(added, 0);
		ck_assert_uint_eq(*v, i * 3 + 1);
	}
	ck_assert_uint_eq(m.n, n);
	map_release(&m);
	ck_assert_ptr_null(m.slot);
	ck_assert_uint_eq(m.n, 0);
	ck_assert_uint_eq(m.cap, 0);
}
END_TEST

/*
 * Keys that agree in their low bits all start probing at the same slot:
 * long probe chains must still find everything, across growth.
 */
START_TEST(test_clustered)
{
	struct map m = MAP_INIT;
	uint64_t i, *v;
	const uint64_t n = 2000;
	int added;

	for (i = 1; i <= n; i++) {
		(void)map_put(&m, i << 40, 0, i, &added);
		ck_assert_int_eq(added, 1);
		(void)map_put(&m, 0, i << 40, i + n, &added);
		ck_assert_int_eq(added, 1);
	}
	ck_assert_uint_eq(m.n, 2 * n);
	for (i = 1; i <= n; i++) {
		v = map_get(&m, i << 40, 0);
		ck_assert_ptr_nonnull(v);
		ck_assert_uint_eq(*v, i);
		v = map_get(&m, 0, i << 40);
		ck_assert_ptr_nonnull(v);
		ck_assert_uint_eq(*v, i + n);
	}
	ck_assert_ptr_null(map_get(&m, (n + 1) << 40, 0));
	map_release(&m);
}
END_TEST

/* The all-zero key marks empty slots inside, but is a key like another. */
START_TEST(test_zero_key)
{
	struct map m = MAP_INIT;
	uint64_t *v;
	int added;

	ck_assert_ptr_null(map_get(&m, 0, 0));
	v = map_put(&m, 0, 0, 5, &added);
	ck_assert_int_eq(added, 1);
	ck_assert_uint_eq(*v, 5);
	v = map_get(&m, 0, 0);
	ck_assert_ptr_nonnull(v);
	ck_assert_uint_eq(*v, 5);
	v = map_put(&m, 0, 0, 6, &added);
	ck_assert_int_eq(added, 0);
	ck_assert_uint_eq(*v, 5);
	ck_assert_uint_eq(m.n, 1);
	map_release(&m);
}
END_TEST

/*
 * The all-zero key and its neighbours (0, 1) and (1, 0) are three
 * distinct keys.  The map is released before the checks, so a failure
 * leaks nothing even when Check does not fork.
 */
START_TEST(test_zero_key_distinct)
{
	struct map m = MAP_INIT;
	uint64_t *v, v00, v01, v10;
	int added, early01, added01, added10;
	size_t n;

	(void)map_put(&m, 0, 0, 5, &added);
	(void)map_put(&m, 1, 0, 7, &added10);
	early01 = map_get(&m, 0, 1) != NULL;
	(void)map_put(&m, 0, 1, 6, &added01);
	v = map_get(&m, 0, 0);
	v00 = v ? *v : 0;
	v = map_get(&m, 0, 1);
	v01 = v ? *v : 0;
	v = map_get(&m, 1, 0);
	v10 = v ? *v : 0;
	n = m.n;
	map_release(&m);

	ck_assert_int_eq(added10, 1);
	ck_assert_msg(!early01, "key (0, 1) found before it was added");
	ck_assert_msg(added01 == 1, "key (0, 1) not added: it aliases (0, 0)");
	ck_assert_uint_eq(v00, 5);
	ck_assert_uint_eq(v01, 6);
	ck_assert_uint_eq(v10, 7);
	ck_assert_uint_eq(n, 3);
}
END_TEST

START_TEST(test_release_reuse)
{
	struct map m = MAP_INIT;
	uint64_t i;
	int added;

	for (i = 1; i <= 3000; i++)
		(void)map_put(&m, i, ~i, i, &added);
	map_release(&m);
	ck_assert_ptr_null(map_get(&m, 1, ~(uint64_t)1));
	map_release(&m);
	(void)map_put(&m, 1, ~(uint64_t)1, 11, &added);
	ck_assert_int_eq(added, 1);
	ck_assert_uint_eq(*map_get(&m, 1, ~(uint64_t)1), 11);
	ck_assert_uint_eq(m.n, 1);
	map_release(&m);
}
END_TEST

Suite *
map_suite(void)
{
	Suite *s = suite_create("map");
	TCase *tc;

	tc = tcase_create("core");
	tcase_add_test(tc, test_empty);
	tcase_add_test(tc, test_add_find);
	tcase_add_test(tc, test_no_duplicate);
	tcase_add_test(tc, test_value_update);
	tcase_add_test(tc, test_zero_key);
	tcase_add_test(tc, test_zero_key_distinct);
	tcase_add_test(tc, test_release_reuse);
	suite_add_tcase(s, tc);

	tc = tcase_create("growth");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_many);
	tcase_add_test(tc, test_clustered);
	suite_add_tcase(s, tc);
	return s;
}
