/*
 * Unit tests for datadir.c: where data files are looked up.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "datadir.h"
#include "suites.h"

START_TEST(test_env_dir_wins)
{
	char dir[] = "/tmp/df-datadir.XXXXXX", path[256];
	struct df_err err;
	FILE *f;
	char *p;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/x.txt", dir);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fclose(f);
	setenv("DF_DATADIR", dir, 1);
	p = df_data_path("x.txt", &err);
	ck_assert_ptr_nonnull(p);
	ck_assert_str_eq(p, path);
	free(p);
	/* An explicit DF_DATADIR is the only place tried. */
	p = df_data_path("missing.txt", &err);
	ck_assert_ptr_null(p);
	ck_assert_str_eq(err.reason, "no-data-file");
	ck_assert_ptr_nonnull(strstr(err.msg, "missing.txt: not found"));
	ck_assert_ptr_nonnull(strstr(err.msg, dir));
	unsetenv("DF_DATADIR");
	unlink(path);
	rmdir(dir);
}
END_TEST

START_TEST(test_missing_names_places)
{
	struct df_err err;
	char *p;

	unsetenv("DF_DATADIR");
	p = df_data_path("no/such/file.bin", &err);
	ck_assert_ptr_null(p);
	ck_assert_ptr_nonnull(strstr(err.msg, "/data/no/such/file.bin"));
}
END_TEST

Suite *
datadir_suite(void)
{
	Suite *s = suite_create("datadir");
	TCase *tc = tcase_create("lookup");

	tcase_add_test(tc, test_env_dir_wins);
	tcase_add_test(tc, test_missing_names_places);
	suite_add_tcase(s, tc);
	return s;
}
