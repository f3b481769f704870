/*
 * The Check suites of tests/unit, one per lib/ module, all run by run.c in
 * one SRunner so there is one summary line.
 */
#ifndef DF_SUITES_H
#define DF_SUITES_H

#include <check.h>

Suite *buf_suite(void);
Suite *cli_suite(void);
Suite *filter_suite(void);
Suite *hash_suite(void);
Suite *json_suite(void);
Suite *map_suite(void);
Suite *minhash_suite(void);
Suite *rec_suite(void);

#endif
