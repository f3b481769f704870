/*
 * Run every Check suite of lib/ and print one summary line.
 */
#include <stdlib.h>

#include "suites.h"

int
main(void)
{
	SRunner *sr;
	int failed;

	sr = srunner_create(buf_suite());
	srunner_add_suite(sr, cli_suite());
	srunner_add_suite(sr, filter_suite());
	srunner_add_suite(sr, hash_suite());
	srunner_add_suite(sr, json_suite());
	srunner_add_suite(sr, map_suite());
	srunner_add_suite(sr, minhash_suite());
	srunner_add_suite(sr, rec_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
