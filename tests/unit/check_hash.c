/*
 * Unit tests for lib/hash.c: the SipHash-2-4 vectors of the reference
 * implementation and the SHA-256 examples of FIPS 180-4, whole and fed in
 * pieces split at awkward places.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "hash.h"
#include "suites.h"

/*
 * SipHash-2-4 under the key 00 01 .. 0f of the messages 00 01 .. (n-1)
 * for n = 0 .. 63, from vectors.h of the reference implementation (and
 * the paper's appendix for n = 15).
 */
static const uint64_t sip_vectors[64] = {
	UINT64_C(0x726fdb47dd0e0e31), UINT64_C(0x74f839c593dc67fd),
	UINT64_C(0x0d6c8009d9a94f5a), UINT64_C(0x85676696d7fb7e2d),
	UINT64_C(0xcf2794e0277187b7), UINT64_C(0x18765564cd99a68d),
	UINT64_C(0xcbc9466e58fee3ce), UINT64_C(0xab0200f58b01d137),
	UINT64_C(0x93f5f5799a932462), UINT64_C(0x9e0082df0ba9e4b0),
	UINT64_C(0x7a5dbbc594ddb9f3), UINT64_C(0xf4b32f46226bada7),
	UINT64_C(0x751e8fbc860ee5fb), UINT64_C(0x14ea5627c0843d90),
	UINT64_C(0xf723ca908e7af2ee), UINT64_C(0xa129ca6149be45e5),
	UINT64_C(0x3f2acc7f57c29bdb), UINT64_C(0x699ae9f52cbe4794),
	UINT64_C(0x4bc1b3f0968dd39c), UINT64_C(0xbb6dc91da77961bd),
	UINT64_C(0xbed65cf21aa2ee98), UINT64_C(0xd0f2cbb02e3b67c7),
	UINT64_C(0x93536795e3a33e88), UINT64_C(0xa80c038ccd5ccec8),
	UINT64_C(0xb8ad50c6f649af94), UINT64_C(0xbce192de8a85b8ea),
	UINT64_C(0x17d835b85bbb15f3), UINT64_C(0x2f2e6163076bcfad),
	UINT64_C(0xde4daaaca71dc9a5), UINT64_C(0xa6a2506687956571),
	UINT64_C(0xad87a3535c49ef28), UINT64_C(0x32d892fad841c342),
	UINT64_C(0x7127512f72f27cce), UINT64_C(0xa7f32346f95978e3),
	UINT64_C(0x12e0b01abb051238), UINT64_C(0x15e034d40fa197ae),
	UINT64_C(0x314dffbe0815a3b4), UINT64_C(0x027990f029623981),
	UINT64_C(0xcadcd4e59ef40c4d), UINT64_C(0x9abfd8766a33735c),
	UINT64_C(0x0e3ea96b5304a7d0), UINT64_C(0xad0c42d6fc585992),
	UINT64_C(0x187306c89bc215a9), UINT64_C(0xd4a60abcf3792b95),
	UINT64_C(0xf935451de4f21df2), UINT64_C(0xa9538f0419755787),
	UINT64_C(0xdb9acddff56ca510), UINT64_C(0xd06c98cd5c0975eb),
	UINT64_C(0xe612a3cb9ecba951), UINT64_C(0xc766e62cfcadaf96),
	UINT64_C(0xee64435a9752fe72), UINT64_C(0xa192d576b245165a),
	UINT64_C(0x0a8787bf8ecb74b2), UINT64_C(0x81b3e73d20b49b6f),
	UINT64_C(0x7fa8220ba3b2ecea), UINT64_C(0x245731c13ca42499),
	UINT64_C(0xb78dbfaf3a8d83bd), UINT64_C(0xea1ad565322a1a0b),
	UINT64_C(0x60e61c23a3795013), UINT64_C(0x6606d7e446282b93),
	UINT64_C(0x6ca4ecb15c5f91e1), UINT64_C(0x9f626da15c9625f3),
	UINT64_C(0xe51b38608ef25f57), UINT64_C(0x958a324ceb064572),
};

/* The key bytes 00 .. 0f loaded little-endian, as the reference does. */
#define SIP_K0	UINT64_C(0x0706050403020100)
#define SIP_K1	UINT64_C(0x0f0e0d0c0b0a0908)

START_TEST(test_siphash_vectors)
{
	unsigned char msg[64];
	int i;

	for (i = 0; i < 64; i++)
		msg[i] = (unsigned char)i;
	ck_assert_msg(hash_siphash(SIP_K0, SIP_K1, msg, (size_t)_i) ==
	    sip_vectors[_i], "siphash of %d bytes", _i);
}
END_TEST

START_TEST(test_siphash_props)
{
	unsigned char buf[80], msg[16];
	uint64_t h;
	int i;

	for (i = 0; i < 16; i++)
		msg[i] = (unsigned char)i;

	/* The paper's example: a 15-byte message. */
	ck_assert(hash_siphash(SIP_K0, SIP_K1, msg, 15) ==
	    UINT64_C(0xa129ca6149be45e5));
	ck_assert(hash_siphash(SIP_K0, SIP_K1, "", 0) ==
	    UINT64_C(0x726fdb47dd0e0e31));
	ck_assert(hash_siphash(SIP_K0, SIP_K1, NULL, 0) ==
	    UINT64_C(0x726fdb47dd0e0e31));

	/* The result does not depend on the alignment of the input. */
	for (i = 0; i < 8; i++) {
		memcpy(buf + i, msg, 15);
		ck_assert(hash_siphash(SIP_K0, SIP_K1, buf + i, 15) ==
		    UINT64_C(0xa129ca6149be45e5));
	}

	/* Either half of the key matters. */
	h = hash_siphash(SIP_K0, SIP_K1, msg, 8);
	ck_assert(hash_siphash(SIP_K0 ^ 1, SIP_K1, msg, 8) != h);
	ck_assert(hash_siphash(SIP_K0, SIP_K1 ^ 1, msg, 8) != h);
	ck_assert(hash_siphash(SIP_K1, SIP_K0, msg, 8) != h);
	ck_assert(hash_siphash(0, 0, msg, 8) ==
	    hash_siphash(0, 0, msg, 8));
}
END_TEST

/* Check the digest of p[0..len) in one update and in both output forms. */
static void
check_sha(const void *p, size_t len, const char *want)
{
	struct sha256 c;
	unsigned char d[32];
	char hex[65], dhex[65];
	int i;

	sha256_init(&c);
	sha256_update(&c, p, len);
	sha256_final_hex(&c, hex);
	ck_assert_str_eq(hex, want);

	sha256_init(&c);
	sha256_update(&c, p, len);
	sha256_final(&c, d);
	for (i = 0; i < 32; i++)
		snprintf(dhex + 2 * i, 3, "%02x", d[i]);
	ck_assert_str_eq(dhex, want);
}

START_TEST(test_sha256_vectors)
{
	static const char m448[] =
	    "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	static const char m896[] =
	    "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
	    "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";

	check_sha("", 0, "e3b0c44298fc1c149afbf4c8996fb924"
	    "27ae41e4649b934ca495991b7852b855");
	check_sha("abc", 3, "ba7816bf8f01cfea414140de5dae2223"
	    "b00361a396177a9cb410ff61f20015ad");
	check_sha(m448, sizeof(m448) - 1, "248d6a61d20638b8e5c026930c3e6039"
	    "a33ce45964ff2167f6ecedd419db06c1");
	check_sha(m896, sizeof(m896) - 1, "cf5b16a778af8380036ce59e7b049237"
	    "0b249b11e8f07a51afac45037afee9d1");
	check_sha("The quick brown fox jumps over the lazy dog", 43,
	    "d7a8fbb307d7809469ca9abcb0082e4f"
	    "8d5651e46d3cdb762d02d0bf37c9e592");
}
END_TEST

/* Lengths around the padding boundaries: 'a' repeated n times. */
START_TEST(test_sha256_padding)
{
	static const struct {
		size_t n;
		const char *hex;
	} cases[] = {
		{ 55, "9f4390f8d30c2dd92ec9f095b65e2b9a"
		    "e9b0a925a5258e241c9f1e910f734318" },
		{ 56, "b35439a4ac6f0948b6d6f9e3c6af0f5f"
		    "590ce20f1bde7090ef7970686ec6738a" },
		{ 63, "7d3e74a05d7db15bce4ad9ec0658ea98"
		    "e3f06eeecf16b4c6fff2da457ddc2f34" },
		{ 64, "ffe054fe7ae0cb6dc65c3af9b61d5209"
		    "f439851db43d0ba5997337df154668eb" },
		{ 65, "635361c48bb9eab14198e76ea8ab7f1a"
		    "41685d6ad62aa9146d301d4f17eb0ae0" },
		{ 119, "31eba51c313a5c08226adf18d4a359cf"
		    "dfd8d2e816b13f4af952f7ea6584dcfb" },
		{ 120, "2f3d335432c70b580af0e8e1b3674a7c"
		    "020d683aa5f73aaaedfdc55af904c21c" },
	};
	char a[128];
	size_t i;

	memset(a, 'a', sizeof(a));
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_sha(a, cases[i].n, cases[i].hex);
}
END_TEST

START_TEST(test_sha256_million)
{
	static const char want[] = "cdc76e5c9914fb9281a1c7e284d73e67"
	    "f1809a48a497200e046d39ccc7112cd0";
	struct sha256 c;
	char a[1000], hex[65];
	int i;

	memset(a, 'a', sizeof(a));
	sha256_init(&c);
	for (i = 0; i < 1000; i++)
		sha256_update(&c, a, sizeof(a));
	sha256_final_hex(&c, hex);
	ck_assert_str_eq(hex, want);
}
END_TEST

/* The million 'a' again, in uneven pieces: 1, 63, 64, 65, 127 ... bytes. */
START_TEST(test_sha256_million_pieces)
{
	static const size_t steps[] = { 1, 63, 64, 65, 127, 999, 0, 7, 129 };
	struct sha256 c;
	size_t left = 1000000, n, k = 0;
	char a[1000], hex[65];

	memset(a, 'a', sizeof(a));
	sha256_init(&c);
	while (left > 0) {
		n = steps[k++ % (sizeof(steps) / sizeof(steps[0]))];
		if (n > left)
			n = left;
		sha256_update(&c, a, n);
		left -= n;
	}
	sha256_final_hex(&c, hex);
	ck_assert_str_eq(hex, "cdc76e5c9914fb9281a1c7e284d73e67"
	    "f1809a48a497200e046d39ccc7112cd0");
}
END_TEST

/*
 * Every split of a 200-byte message into two updates, and into three
 * around the block boundaries, gives the digest of one update.
 */
START_TEST(test_sha256_splits)
{
	unsigned char msg[200];
	struct sha256 c;
	char whole[65], hex[65];
	size_t i, j;

	for (i = 0; i < sizeof(msg); i++)
		msg[i] = (unsigned char)(i * 7 + 3);
	sha256_init(&c);
	sha256_update(&c, msg, sizeof(msg));
	sha256_final_hex(&c, whole);

	for (i = 0; i <= sizeof(msg); i++) {
		sha256_init(&c);
		sha256_update(&c, msg, i);
		sha256_update(&c, msg + i, sizeof(msg) - i);
		sha256_final_hex(&c, hex);
		ck_assert_str_eq(hex, whole);
	}
	for (i = 0; i <= 130; i++)
		for (j = i; j <= 130; j += 13) {
			sha256_init(&c);
			sha256_update(&c, msg, i);
			sha256_update(&c, msg + i, j - i);
			sha256_update(&c, NULL, 0);
			sha256_update(&c, msg + j, sizeof(msg) - j);
			sha256_final_hex(&c, hex);
			ck_assert_str_eq(hex, whole);
		}

	/* Byte by byte. */
	sha256_init(&c);
	for (i = 0; i < sizeof(msg); i++)
		sha256_update(&c, msg + i, 1);
	sha256_final_hex(&c, hex);
	ck_assert_str_eq(hex, whole);
}
END_TEST

Suite *
hash_suite(void)
{
	Suite *s = suite_create("hash");
	TCase *tc;

	tc = tcase_create("siphash");
	tcase_add_loop_test(tc, test_siphash_vectors, 0, 64);
	tcase_add_test(tc, test_siphash_props);
	suite_add_tcase(s, tc);

	tc = tcase_create("sha256");
	tcase_add_test(tc, test_sha256_vectors);
	tcase_add_test(tc, test_sha256_padding);
	tcase_add_test(tc, test_sha256_million);
	tcase_add_test(tc, test_sha256_million_pieces);
	tcase_add_test(tc, test_sha256_splits);
	suite_add_tcase(s, tc);
	return s;
}
