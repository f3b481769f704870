/*
 * Unit tests for lib/audio.c: output length, our float-to-integer
 * conversion, levels, base64, and the resampler's length and delay.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "audio.h"
#include "suites.h"

START_TEST(test_out_frames)
{
	ck_assert_uint_eq(audio_out_frames(44100, 44100, 16000), 16000);
	ck_assert_uint_eq(audio_out_frames(3307, 11025, 16000), 4799);
	/* 3 * 16000 / 44100 = 1.088: rounds to 1; 5 samples at 48k: 2. */
	ck_assert_uint_eq(audio_out_frames(3, 44100, 16000), 1);
	ck_assert_uint_eq(audio_out_frames(5, 48000, 16000), 2);
	/* Exactly half rounds up: 3 * 16000 / 96000 = 0.5. */
	ck_assert_uint_eq(audio_out_frames(3, 96000, 16000), 1);
	ck_assert_uint_eq(audio_out_frames(0, 8000, 16000), 0);
}
END_TEST

START_TEST(test_quantize_round_clip)
{
	const float x[] = { 0.5f, 1.5f, -1.5f, 0.1f, -0.1f, 1.0f, -1.0f,
	    0.00002f, (float)(32766.5 / 32768), NAN };
	const int want[] = { 16384, 32767, -32768, 3277, -3277, 32767,
	    -32768, 1, 32766, 0 };
	int out[10], i;
	size_t clipped;

	clipped = audio_quantize(x, 10, 16, NULL, out);
	for (i = 0; i < 10; i++)
		ck_assert_int_eq(out[i], want[i]);
	/*
	 * 1.5, -1.5 and 1.0 pass full scale; 32766.5 is a tie, rounded to
	 * even.
	 */
	ck_assert_uint_eq(clipped, 3);
	clipped = audio_quantize(x, 3, 24, NULL, out);
	ck_assert_int_eq(out[0], 4194304 * 256);
	ck_assert_int_eq(out[1], 8388607 * 256);
	ck_assert_int_eq(out[2], -8388608 * 256);
	ck_assert_uint_eq(clipped, 2);
}
END_TEST

START_TEST(test_quantize_dither)
{
	float x[1000];
	int a[1000], b[1000], i, diff = 0;
	uint64_t r1 = 12345, r2 = 12345;

	for (i = 0; i < 1000; i++)
		x[i] = (float)(0.3 * sin(i * 0.05));
	audio_quantize(x, 1000, 16, &r1, a);
	audio_quantize(x, 1000, 16, &r2, b);
	ck_assert(memcmp(a, b, sizeof(a)) == 0);
	audio_quantize(x, 1000, 16, NULL, b);
	for (i = 0; i < 1000; i++) {
		ck_assert_int_le(abs(a[i] - b[i]), 2);
		diff += a[i] != b[i];
	}
	ck_assert_int_gt(diff, 100);
}
END_TEST

START_TEST(test_levels)
{
	struct audio_levels l;
	struct buf b = BUF_INIT;
	int x[640], i;

	audio_levels_init(&l, 320, -60.0);
	for (i = 0; i < 320; i++)
		x[i] = 0;
	for (i = 320; i < 640; i++)
		x[i] = i % 2 ? 16384 : -16384;
	x[639] = 32767;
	audio_levels_add_int(&l, x, 640, 16);
	audio_levels_json(&l, &b);
	ck_assert_str_eq(b.data, "\"peak_dbfs\":-0.00,\"rms_dbfs\":-8.99,"
	    "\"clipped_ratio\":0.0015625,\"silence_ratio\":0.5");
	buf_release(&b);
	audio_levels_init(&l, 320, -60.0);
	audio_levels_add_int(&l, x, 100, 16);
	audio_levels_json(&l, &b);
	ck_assert_str_eq(b.data, "\"peak_dbfs\":null,\"rms_dbfs\":null,"
	    "\"clipped_ratio\":0,\"silence_ratio\":1");
	buf_release(&b);
}
END_TEST

START_TEST(test_base64)
{
	struct buf b = BUF_INIT, d = BUF_INIT;
	const char *s[] = { "", "f", "fo", "foo", "foob", "fooba", "foobar" };
	const char *e[] = { "", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==",
	    "Zm9vYmE=", "Zm9vYmFy" };
	int i;

	for (i = 0; i < 7; i++) {
		buf_reset(&b);
		audio_base64_encode(&b, (const unsigned char *)s[i],
		    strlen(s[i]));
		ck_assert_str_eq(b.data ? b.data : "", e[i]);
		buf_reset(&d);
		ck_assert_int_eq(audio_base64_decode(e[i], strlen(e[i]), &d),
		    0);
		ck_assert_uint_eq(d.len, strlen(s[i]));
		ck_assert(memcmp(d.data ? d.data : "", s[i], d.len) == 0);
	}
	buf_reset(&d);
	ck_assert_int_eq(audio_base64_decode("Zm9v\nYmFy", 9, &d), 0);
	ck_assert_uint_eq(d.len, 6);
	ck_assert_int_eq(audio_base64_decode("Zm*v", 4, &d), -1);
	ck_assert_int_eq(audio_base64_decode("Zg=a", 4, &d), -1);
	buf_release(&b);
	buf_release(&d);
}
END_TEST

/* Each engine: a 1 kHz tone keeps its phase (no delay) and its level. */
static void
tone_through(enum audio_engine eng)
{
	struct df_err e;
	struct fbuf out = { NULL, 0, 0 };
	struct audio_rs *rs;
	float in[4410];
	size_t i;
	double err = 0, want;

	for (i = 0; i < 4410; i++)
		in[i] = (float)(0.5 * sin(2 * M_PI * 1000 * i / 44100.0));
	rs = audio_rs_new(eng, AUDIO_BEST, 44100, 16000, 1, &e);
	ck_assert_ptr_nonnull(rs);
	/* Fed in uneven pieces, then flushed. */
	ck_assert_int_eq(audio_rs_process(rs, in, 1000, 0, &out, &e), 0);
	ck_assert_int_eq(audio_rs_process(rs, in + 1000, 3410, 0, &out, &e),
	    0);
	ck_assert_int_eq(audio_rs_process(rs, NULL, 0, 1, &out, &e), 0);
	audio_rs_free(rs);
	ck_assert_uint_ge(out.len, 1599);
	for (i = 200; i < 1400; i++) {
		want = 0.5 * sin(2 * M_PI * 1000 * i / 16000.0);
		err = fmax(err, fabs(out.data[i] - want));
	}
	ck_assert_msg(err < 1e-3, "max error %g", err);
	fbuf_release(&out);
}

START_TEST(test_resample_soxr)
{
	tone_through(AUDIO_SOXR);
}
END_TEST

START_TEST(test_resample_src)
{
	tone_through(AUDIO_SRC);
}
END_TEST

Suite *
audio_suite(void)
{
	Suite *s = suite_create("audio");
	TCase *tc = tcase_create("audio");

	tcase_add_test(tc, test_out_frames);
	tcase_add_test(tc, test_quantize_round_clip);
	tcase_add_test(tc, test_quantize_dither);
	tcase_add_test(tc, test_levels);
	tcase_add_test(tc, test_base64);
	tcase_add_test(tc, test_resample_soxr);
	tcase_add_test(tc, test_resample_src);
	suite_add_tcase(s, tc);
	return s;
}
