/*
 * Unit tests for lib/robots.c: groups, longest match, special characters,
 * escaping, the URL path, Crawl-delay and Sitemap lines.
 */
#include <stdlib.h>
#include <string.h>

#include "robots.h"
#include "suites.h"

static int
allowed(const char *txt, const char *agent, const char *url)
{
	struct robots *r = robots_parse(txt, strlen(txt), agent);
	int ok = robots_allowed(r, url);

	robots_free(r);
	return ok;
}

START_TEST(test_groups_merge)
{
	const char *t = "user-agent: FooBot\ndisallow: /a\n"
	    "user-agent: *\ndisallow: /\n"
	    "user-agent: foobot\ndisallow: /b\n";

	ck_assert_int_eq(allowed(t, "FooBot", "http://x/a"), 0);
	ck_assert_int_eq(allowed(t, "FooBot", "http://x/b"), 0);
	ck_assert_int_eq(allowed(t, "FooBot", "http://x/c"), 1);
	ck_assert_int_eq(allowed(t, "Other", "http://x/c"), 0);
	/* The product token of a full User-Agent string. */
	ck_assert_int_eq(allowed(t, "foobot/1.0 (+http://e/)", "/b"), 0);
	ck_assert_int_eq(allowed(t, "foobot/1.0 (+http://e/)", "/c"), 1);
}
END_TEST

START_TEST(test_longest_match)
{
	const char *t = "user-agent: *\nallow: /p\ndisallow: /\n"
	    "allow: /x$\ndisallow: /*.gif$\nallow: /same\ndisallow: /same\n";

	ck_assert_int_eq(allowed(t, "a", "/page"), 1);
	ck_assert_int_eq(allowed(t, "a", "/q"), 0);
	ck_assert_int_eq(allowed(t, "a", "/x"), 1);
	ck_assert_int_eq(allowed(t, "a", "/xy"), 0);
	ck_assert_int_eq(allowed(t, "a", "/p/i.gif"), 0);
	ck_assert_int_eq(allowed(t, "a", "/p/i.gif?x"), 1);
	ck_assert_int_eq(allowed(t, "a", "/same/1"), 1);
	ck_assert_int_eq(allowed(t, "a", "/"), 0);
}
END_TEST

START_TEST(test_escape_and_bom)
{
	ck_assert_int_eq(allowed("\xEF\xBBuser-agent: a\ndisallow: /\n"
	    "allow: /f/\xE3\x83\x84\n", "a", "/f/%E3%83%84"), 1);
	ck_assert_int_eq(allowed("user-agent: a\ndisallow: /\n"
	    "allow: /f/%e3%83%84\n", "a", "/f/%E3%83%84"), 1);
	ck_assert_int_eq(allowed("user-agent a\ndisallow /\n", "a", "/x"), 0);
	ck_assert_int_eq(allowed("user-agent: a\rdisallow: /\r", "a", "/"), 0);
}
END_TEST

START_TEST(test_url_path)
{
	static const char *const c[][2] = {
		{ "", "/" }, { "http://www.example.com", "/" },
		{ "http://e.com/a/b?c=http://d.e/", "/a/b?c=http://d.e/" },
		{ "http://e.com/a/b?c=d#frag", "/a/b?c=d" },
		{ "example.com?a", "/?a" }, { "example.com/a;b#c", "/a;b" },
		{ "a/b", "/b" }, { "//a/b/c", "/b/c" }, { "/a", "/a" },
	};
	size_t i;
	char *p;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		p = robots_url_path(c[i][0]);
		ck_assert_str_eq(p, c[i][1]);
		free(p);
	}
}
END_TEST

START_TEST(test_delay_sitemaps_all)
{
	const char *t = "Sitemap: http://x/s1.xml\nuser-agent: *\n"
	    "crawl-delay: 2.5\ndisallow: /p\nuser-agent: b\ncrawl-delay: 7\n"
	    "site-map: http://x/s2.xml\n";
	struct robots *r = robots_parse(t, strlen(t), "a");

	ck_assert(robots_crawl_delay(r) == 2.5);
	ck_assert_uint_eq(robots_nsitemaps(r), 2);
	ck_assert_str_eq(robots_sitemap(r, 0), "http://x/s1.xml");
	ck_assert_str_eq(robots_sitemap(r, 1), "http://x/s2.xml");
	robots_free(r);
	r = robots_parse(t, strlen(t), "b");
	ck_assert(robots_crawl_delay(r) == 7);
	ck_assert_int_eq(robots_allowed(r, "/p"), 1);
	robots_free(r);
	r = robots_new_all(0);
	ck_assert_int_eq(robots_allowed(r, "/"), 0);
	ck_assert(robots_crawl_delay(r) < 0);
	robots_free(r);
	r = robots_new_all(1);
	ck_assert_int_eq(robots_allowed(r, "/x"), 1);
	robots_free(r);
}
END_TEST

Suite *
robots_suite(void)
{
	Suite *s = suite_create("robots");
	TCase *tc = tcase_create("robots");

	tcase_add_test(tc, test_groups_merge);
	tcase_add_test(tc, test_longest_match);
	tcase_add_test(tc, test_escape_and_bom);
	tcase_add_test(tc, test_url_path);
	tcase_add_test(tc, test_delay_sitemaps_all);
	suite_add_tcase(s, tc);
	return s;
}
