/*
 * Audio building blocks for df-resample (audio.h).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <samplerate.h>
#include <soxr.h>

#include "audio.h"

void
fbuf_grow(struct fbuf *b, size_t n)
{
	size_t cap;

	if (b->len + n <= b->cap)
		return;
	cap = b->cap ? b->cap : 4096;
	while (cap < b->len + n)
		cap *= 2;
	b->data = df_xrealloc(b->data, cap * sizeof(float));
	b->cap = cap;
}

void
fbuf_release(struct fbuf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

void
fbuf_shift(struct fbuf *b, size_t n)
{
	if (n >= b->len) {
		b->len = 0;
		return;
	}
	memmove(b->data, b->data + n, (b->len - n) * sizeof(float));
	b->len -= n;
}

struct audio_rs {
	enum audio_engine eng;
	enum audio_quality q;
	int ch;
	double in_rate, out_rate;
	double ratio;
	soxr_t soxr;
	SRC_STATE *src;
};

struct audio_rs *
audio_rs_new(enum audio_engine eng, enum audio_quality q, double in_rate,
    double out_rate, int ch, struct df_err *e)
{
	struct audio_rs *rs = df_xcalloc(1, sizeof(*rs));
	int err = 0;

	rs->eng = eng;
	rs->q = q;
	rs->ch = ch;
	rs->in_rate = in_rate;
	rs->out_rate = out_rate;
	rs->ratio = out_rate / in_rate;
	if (eng == AUDIO_SOXR) {
		soxr_io_spec_t io = soxr_io_spec(SOXR_FLOAT32_I,
		    SOXR_FLOAT32_I);
		soxr_quality_spec_t qs = soxr_quality_spec(q == AUDIO_BEST ?
		    SOXR_VHQ : q == AUDIO_MEDIUM ? SOXR_HQ : SOXR_MQ, 0);
		soxr_runtime_spec_t rt = soxr_runtime_spec(1);
		soxr_error_t se = NULL;

		/*
		 * The default passband ends at 0.913 of Nyquist (7.3 kHz
		 * at 16 kHz out); a speech model sees up to 7.6 kHz.
		 */
		if (qs.passband_end < AUDIO_SOXR_PASSBAND)
			qs.passband_end = AUDIO_SOXR_PASSBAND;
		rs->soxr = soxr_create(in_rate, out_rate, (unsigned)ch, &se,
		    &io, &qs, &rt);
		if (se != NULL) {
			df_err_set(e, "resampler", "libsoxr: %s", se);
			free(rs);
			return NULL;
		}
	} else {
		rs->src = src_new(q == AUDIO_BEST ? SRC_SINC_BEST_QUALITY :
		    q == AUDIO_MEDIUM ? SRC_SINC_MEDIUM_QUALITY :
		    SRC_SINC_FASTEST, ch, &err);
		if (rs->src == NULL) {
			df_err_set(e, "resampler", "libsamplerate: %s",
			    src_strerror(err));
			free(rs);
			return NULL;
		}
	}
	return rs;
}

int
audio_rs_reuse(struct audio_rs *rs, enum audio_engine eng,
    enum audio_quality q, double in_rate, double out_rate, int ch)
{
	if (rs == NULL || rs->eng != eng || rs->q != q || rs->ch != ch ||
	    rs->in_rate != in_rate || rs->out_rate != out_rate)
		return 0;
	if (rs->soxr != NULL)
		return soxr_clear(rs->soxr) == NULL;
	return src_reset(rs->src) == 0;
}

void
audio_rs_free(struct audio_rs *rs)
{
	if (rs == NULL)
		return;
	if (rs->soxr != NULL)
		soxr_delete(rs->soxr);
	if (rs->src != NULL)
		src_delete(rs->src);
	free(rs);
}

static const float rs_zero[64];

int
audio_rs_process(struct audio_rs *rs, const float *in, size_t n, int last,
    struct fbuf *out, struct df_err *e)
{
	size_t room, idone, odone;
	int err;

	for (;;) {
		room = (size_t)((double)n * rs->ratio) + 1024;
		fbuf_grow(out, room * (size_t)rs->ch);
		if (rs->eng == AUDIO_SOXR) {
			soxr_error_t se = soxr_process(rs->soxr,
			    n > 0 || !last ? in : NULL, n, &idone,
			    out->data + out->len, room, &odone);

			if (se != NULL)
				return df_err_set(e, "resampler",
				    "libsoxr: %s", se);
		} else {
			SRC_DATA d;

			memset(&d, 0, sizeof(d));
			/* libsamplerate wants an input pointer to flush. */
			d.data_in = in != NULL ? in : rs_zero;
			d.input_frames = (long)n;
			d.data_out = out->data + out->len;
			d.output_frames = (long)room;
			d.src_ratio = rs->ratio;
			d.end_of_input = last;
			if ((err = src_process(rs->src, &d)) != 0)
				return df_err_set(e, "resampler",
				    "libsamplerate: %s", src_strerror(err));
			idone = (size_t)d.input_frames_used;
			odone = (size_t)d.output_frames_gen;
		}
		out->len += odone * (size_t)rs->ch;
		in += idone * (size_t)rs->ch;
		n -= idone;
		if (n > 0)
			continue;
		if (!last || odone == 0)
			return 0;
	}
}

uint64_t
audio_out_frames(uint64_t n, double in_rate, double out_rate)
{
	/* Exact for integer rates: (2 n out + in) / (2 in). */
	if (in_rate == floor(in_rate) && out_rate == floor(out_rate) &&
	    in_rate < 1e9 && out_rate < 1e9 && n < (1ULL << 32))
		return (2 * n * (uint64_t)out_rate + (uint64_t)in_rate) /
		    (2 * (uint64_t)in_rate);
	return (uint64_t)floor((double)n * out_rate / in_rate + 0.5);
}

/* xorshift64*: a uniform double in [0, 1). */
static double
uniform(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return (double)((x * 2685821657736338717ULL) >> 11) *
	    (1.0 / 9007199254740992.0);
}

size_t
audio_quantize(const float *x, size_t n, int bits, uint64_t *rng, int *out)
{
	double scale = bits == 24 ? 8388608.0 : 32768.0;
	double maxv = scale - 1, minv = -scale, v;
	size_t i, clipped = 0;
	long r;

	for (i = 0; i < n; i++) {
		v = (double)x[i] * scale;
		if (isnan(v))
			v = 0;
		if (rng != NULL)
			v += uniform(rng) - uniform(rng);
		if (!(v < maxv + 0.5)) {
			r = (long)maxv;
			clipped++;
		} else if (!(v >= minv - 0.5)) {
			r = (long)minv;
			clipped++;
		} else
			r = lrint(v);
		out[i] = bits == 24 ? (int)(r * 256) : (int)r;
	}
	return clipped;
}

void
audio_levels_init(struct audio_levels *l, size_t flen, double silence_dbfs)
{
	memset(l, 0, sizeof(*l));
	l->flen = flen > 0 ? flen : 1;
	l->silence_thr = pow(10.0, silence_dbfs / 10.0);
}

static void
level_add(struct audio_levels *l, double v, int rail)
{
	double a = fabs(v);

	if (a > l->peak)
		l->peak = a;
	l->sumsq += v * v;
	l->n++;
	l->rails += (uint64_t)rail;
	l->fsum += v * v;
	if (++l->ffill == l->flen) {
		l->frames++;
		if (l->fsum / (double)l->flen < l->silence_thr)
			l->silent++;
		l->fsum = 0;
		l->ffill = 0;
	}
}

void
audio_levels_add_int(struct audio_levels *l, const int *x, size_t n, int bits)
{
	double scale = bits == 24 ? 8388608.0 : 32768.0;
	int shift = bits == 24 ? 8 : 0, lo = bits == 24 ? -8388608 : -32768;
	int hi = -lo - 1, v;
	size_t i;

	for (i = 0; i < n; i++) {
		v = x[i] >> shift;
		level_add(l, v / scale, v >= hi || v <= lo);
	}
}

void
audio_levels_add_float(struct audio_levels *l, const float *x, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		level_add(l, isnan(x[i]) ? 0.0 : x[i], !(fabsf(x[i]) < 1.0f));
}

static void
dbfs(struct buf *b, double power)
{
	if (!(power > 1e-30))
		buf_adds(b, "null");
	else
		buf_addf(b, "%.2f", 10.0 * log10(power));
}

void
audio_levels_json(struct audio_levels *l, struct buf *b)
{
	uint64_t frames = l->frames, silent = l->silent;

	/* A last, partial frame counts on its own length. */
	if (l->ffill > 0) {
		frames++;
		if (l->fsum / (double)l->ffill < l->silence_thr)
			silent++;
	}
	buf_adds(b, "\"peak_dbfs\":");
	dbfs(b, l->peak * l->peak);
	buf_adds(b, ",\"rms_dbfs\":");
	dbfs(b, l->n ? l->sumsq / (double)l->n : 0);
	buf_addf(b, ",\"clipped_ratio\":%.6g,\"silence_ratio\":%.4g",
	    l->n ? (double)l->rails / (double)l->n : 0.0,
	    frames ? (double)silent / (double)frames : 0.0);
}

/* libsndfile virtual I/O over memory. */

static const unsigned char *
mem_data(struct audio_mem *m, size_t *len)
{
	if (m->ro != NULL) {
		*len = m->rolen;
		return m->ro;
	}
	*len = m->b.len;
	return (const unsigned char *)m->b.data;
}

static sf_count_t
mem_len(void *u)
{
	size_t len;

	(void)mem_data(u, &len);
	return (sf_count_t)len;
}

static sf_count_t
mem_seek(sf_count_t off, int whence, void *u)
{
	struct audio_mem *m = u;
	sf_count_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ?
	    m->pos : mem_len(u);

	if (base + off < 0)
		return -1;
	m->pos = base + off;
	return m->pos;
}

static sf_count_t
mem_read(void *p, sf_count_t n, void *u)
{
	struct audio_mem *m = u;
	size_t len;
	const unsigned char *d = mem_data(m, &len);

	if (m->pos >= (sf_count_t)len || n <= 0)
		return 0;
	if (n > (sf_count_t)len - m->pos)
		n = (sf_count_t)len - m->pos;
	memcpy(p, d + m->pos, (size_t)n);
	m->pos += n;
	return n;
}

static sf_count_t
mem_write(const void *p, sf_count_t n, void *u)
{
	struct audio_mem *m = u;
	size_t end;

	if (m->ro != NULL || n < 0)
		return 0;
	end = (size_t)m->pos + (size_t)n;
	if (end > m->b.len) {
		buf_grow(&m->b, end - m->b.len);
		if ((size_t)m->pos > m->b.len)
			memset(m->b.data + m->b.len, 0,
			    (size_t)m->pos - m->b.len);
		m->b.len = end;
		m->b.data[end] = '\0';
	}
	memcpy(m->b.data + m->pos, p, (size_t)n);
	m->pos += n;
	return n;
}

static sf_count_t
mem_tell(void *u)
{
	return ((struct audio_mem *)u)->pos;
}

SF_VIRTUAL_IO audio_mem_io = { mem_len, mem_seek, mem_read, mem_write,
    mem_tell };

static int
b64val(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+' || c == '-')
		return 62;
	if (c == '/' || c == '_')
		return 63;
	return -1;
}

int
audio_base64_decode(const char *s, size_t len, struct buf *out)
{
	unsigned acc = 0;
	int nbits = 0, v, pad = 0;
	size_t i;

	buf_grow(out, len / 4 * 3 + 3);
	for (i = 0; i < len; i++) {
		if (s[i] == ' ' || s[i] == '\n' || s[i] == '\r' ||
		    s[i] == '\t')
			continue;
		if (s[i] == '=') {
			pad++;
			continue;
		}
		if (pad || (v = b64val((unsigned char)s[i])) < 0)
			return -1;
		acc = (acc << 6) | (unsigned)v;
		nbits += 6;
		if (nbits >= 8) {
			nbits -= 8;
			buf_addc(out, (int)((acc >> nbits) & 0xff));
		}
	}
	return pad > 2 ? -1 : 0;
}

void
audio_base64_encode(struct buf *b, const unsigned char *p, size_t n)
{
	static const char t[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t i;
	unsigned v;

	buf_grow(b, (n + 2) / 3 * 4);
	for (i = 0; i + 2 < n; i += 3) {
		v = (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8 | p[i + 2];
		buf_addc(b, t[v >> 18]);
		buf_addc(b, t[(v >> 12) & 63]);
		buf_addc(b, t[(v >> 6) & 63]);
		buf_addc(b, t[v & 63]);
	}
	if (i < n) {
		v = (unsigned)p[i] << 16 | (i + 1 < n ? (unsigned)p[i + 1] << 8 :
		    0);
		buf_addc(b, t[v >> 18]);
		buf_addc(b, t[(v >> 12) & 63]);
		buf_addc(b, i + 1 < n ? t[(v >> 6) & 63] : '=');
		buf_addc(b, '=');
	}
}

const char *
audio_major_name(int format)
{
	switch (format & SF_FORMAT_TYPEMASK) {
	case SF_FORMAT_WAV: return "wav";
	case SF_FORMAT_WAVEX: return "wavex";
	case SF_FORMAT_AIFF: return "aiff";
	case SF_FORMAT_AU: return "au";
	case SF_FORMAT_RAW: return "raw";
	case SF_FORMAT_PAF: return "paf";
	case SF_FORMAT_SVX: return "svx";
	case SF_FORMAT_NIST: return "nist";
	case SF_FORMAT_VOC: return "voc";
	case SF_FORMAT_IRCAM: return "ircam";
	case SF_FORMAT_W64: return "w64";
	case SF_FORMAT_MAT4: return "mat4";
	case SF_FORMAT_MAT5: return "mat5";
	case SF_FORMAT_PVF: return "pvf";
	case SF_FORMAT_XI: return "xi";
	case SF_FORMAT_HTK: return "htk";
	case SF_FORMAT_SDS: return "sds";
	case SF_FORMAT_AVR: return "avr";
	case SF_FORMAT_SD2: return "sd2";
	case SF_FORMAT_FLAC: return "flac";
	case SF_FORMAT_CAF: return "caf";
	case SF_FORMAT_WVE: return "wve";
	case SF_FORMAT_OGG: return "ogg";
	case SF_FORMAT_MPC2K: return "mpc2k";
	case SF_FORMAT_RF64: return "rf64";
	case SF_FORMAT_MPEG: return "mpeg";
	default: return "unknown";
	}
}

const char *
audio_subtype_name(int format)
{
	switch (format & SF_FORMAT_SUBMASK) {
	case SF_FORMAT_PCM_S8: return "pcm8";
	case SF_FORMAT_PCM_16: return "pcm16";
	case SF_FORMAT_PCM_24: return "pcm24";
	case SF_FORMAT_PCM_32: return "pcm32";
	case SF_FORMAT_PCM_U8: return "pcm8u";
	case SF_FORMAT_FLOAT: return "float";
	case SF_FORMAT_DOUBLE: return "double";
	case SF_FORMAT_ULAW: return "ulaw";
	case SF_FORMAT_ALAW: return "alaw";
	case SF_FORMAT_IMA_ADPCM: return "ima-adpcm";
	case SF_FORMAT_MS_ADPCM: return "ms-adpcm";
	case SF_FORMAT_GSM610: return "gsm610";
	case SF_FORMAT_G721_32: return "g721";
	case SF_FORMAT_G723_24: case SF_FORMAT_G723_40: return "g723";
	case SF_FORMAT_DWVW_12: case SF_FORMAT_DWVW_16:
	case SF_FORMAT_DWVW_24: case SF_FORMAT_DWVW_N: return "dwvw";
	case SF_FORMAT_DPCM_8: case SF_FORMAT_DPCM_16: return "dpcm";
	case SF_FORMAT_VORBIS: return "vorbis";
	case SF_FORMAT_OPUS: return "opus";
	case SF_FORMAT_ALAC_16: case SF_FORMAT_ALAC_20:
	case SF_FORMAT_ALAC_24: case SF_FORMAT_ALAC_32: return "alac";
	case SF_FORMAT_MPEG_LAYER_I: return "mp1";
	case SF_FORMAT_MPEG_LAYER_II: return "mp2";
	case SF_FORMAT_MPEG_LAYER_III: return "mp3";
	default: return "unknown";
	}
}
