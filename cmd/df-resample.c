/*
 * df-resample: speech audio standardised to one format (16 kHz, mono,
 * 16-bit PCM WAV by default).
 *
 * Each record names its audio in --field (a path, an object with "path"
 * as Hugging Face exports it, or "bytes" in base64).  The file is decoded
 * by libsndfile in blocks, mixed down (mean of the channels, or one with
 * --channel), resampled by libsoxr or libsamplerate, converted to integers
 * by our own rounding and clipping (optional TPDF dither), and written in
 * blocks of at most 64k frames, so memory stays a few blocks per worker
 * whatever the length.  The output has exactly round(n * rate / in_rate)
 * frames and no time shift.  The record comes out with the audio field
 * pointing at the new file (or holding its bytes when there is no
 * --out-dir) and the facts: rates, channels, duration, source format and
 * levels.
 *
 * Workers convert into temporary files; the ordered phase renames them
 * into place in input order, so two records that would write the same
 * name are caught whatever -j.  A rerun skips outputs that are complete
 * (made by the same options from the same source) and newer than their
 * source.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sndfile.h>

#include "audio.h"
#include "cli.h"
#include "filter.h"
#include "hash.h"
#include "map.h"

#define USAGE \
"df-resample [-hquV] [-j N] [--allow-any-path] [--bits 16|24|float]\n" \
"                [--channel N] [--channels N] [--dither]\n" \
"                [--engine soxr|src] [--field PATH] [--format wav|flac]\n" \
"                [--link] [--max-duration S] [--max-record BYTES]\n" \
"                [--min-duration S] [--name TEMPLATE] [--normalize DBFS]\n" \
"                [--out-dir DIR] [--progress] [--quality best|medium|fast]\n" \
"                [--rate HZ] [--rejects FILE] [--root DIR] [--stats FILE]\n" \
"                [--strict] [--trim-silence DB] [--where EXPR] [file ...]"

#define HELP \
"Convert the audio each record names to one format (default 16 kHz mono\n" \
"16-bit WAV) and add its duration and level facts.\n" \
"\n" \
"      --allow-any-path  accept absolute paths and paths that leave --root\n" \
"      --bits B          16 (default), 24 or float\n" \
"      --channel N       take channel N (1 is the first) instead of the\n" \
"                        mean of all channels\n" \
"      --channels N      1 (default: mix down), or keep N channels when the\n" \
"                        source has N\n" \
"      --dither          add TPDF dither before rounding to integers\n" \
"      --engine E        soxr (default: libsoxr, passband 0.96 of Nyquist)\n" \
"                        or src (libsamplerate)\n" \
"      --field PATH      where the audio is (default .audio): a path, or an\n" \
"                        object with \"path\" or \"bytes\" (base64)\n" \
"      --format F        wav (default) or flac\n" \
"      --link            hard-link sources already in the target format\n" \
"                        instead of copying them\n" \
"      --max-duration S  drop longer audio (reason too-long)\n" \
"      --min-duration S  drop shorter audio (reason too-short)\n" \
"      --name TEMPLATE   output name under --out-dir, {id} the record's id\n" \
"                        (default: the source's path, extension replaced)\n" \
"      --normalize DBFS  scale so the peak is at DBFS (e.g. -1)\n" \
"      --out-dir DIR     write the files there; without it the converted\n" \
"                        audio goes into the record as {\"bytes\": base64}\n" \
"      --quality Q       best (default), medium or fast\n" \
"      --rate HZ         output sampling rate (default 16000)\n" \
"      --root DIR        resolve relative paths against DIR (default .)\n" \
"      --trim-silence DB cut leading and trailing audio below DB dBFS\n" \
FILTER_LONGOPTS_HELP

enum {
	OPT_ALLOW_ANY_PATH = FILTER_OPT_LAST,
	OPT_BITS,
	OPT_CHANNEL,
	OPT_CHANNELS,
	OPT_DITHER,
	OPT_ENGINE,
	OPT_FIELD,
	OPT_FORMAT,
	OPT_LINK,
	OPT_MAX_DURATION,
	OPT_MIN_DURATION,
	OPT_NAME,
	OPT_NORMALIZE,
	OPT_OUT_DIR,
	OPT_QUALITY,
	OPT_RATE,
	OPT_ROOT,
	OPT_TRIM_SILENCE
};

static const struct option longopts[] = {
	{ "allow-any-path", no_argument, NULL, OPT_ALLOW_ANY_PATH },
	{ "bits", required_argument, NULL, OPT_BITS },
	{ "channel", required_argument, NULL, OPT_CHANNEL },
	{ "channels", required_argument, NULL, OPT_CHANNELS },
	{ "dither", no_argument, NULL, OPT_DITHER },
	{ "engine", required_argument, NULL, OPT_ENGINE },
	{ "field", required_argument, NULL, OPT_FIELD },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "help", no_argument, NULL, 'h' },
	{ "jobs", required_argument, NULL, 'j' },
	{ "link", no_argument, NULL, OPT_LINK },
	{ "max-duration", required_argument, NULL, OPT_MAX_DURATION },
	{ "max-record", required_argument, NULL, FILTER_OPT_MAX_RECORD },
	{ "min-duration", required_argument, NULL, OPT_MIN_DURATION },
	{ "name", required_argument, NULL, OPT_NAME },
	{ "normalize", required_argument, NULL, OPT_NORMALIZE },
	{ "out-dir", required_argument, NULL, OPT_OUT_DIR },
	{ "progress", no_argument, NULL, FILTER_OPT_PROGRESS },
	{ "quality", required_argument, NULL, OPT_QUALITY },
	{ "quiet", no_argument, NULL, 'q' },
	{ "rate", required_argument, NULL, OPT_RATE },
	{ "rejects", required_argument, NULL, FILTER_OPT_REJECTS },
	{ "root", required_argument, NULL, OPT_ROOT },
	{ "stats", required_argument, NULL, FILTER_OPT_STATS },
	{ "strict", no_argument, NULL, FILTER_OPT_STRICT },
	{ "trim-silence", required_argument, NULL, OPT_TRIM_SILENCE },
	{ "unbuffered", no_argument, NULL, 'u' },
	{ "version", no_argument, NULL, 'V' },
	{ "where", required_argument, NULL, FILTER_OPT_WHERE },
	{ NULL, 0, NULL, 0 }
};

/* Frames decoded per block, and the most written in one call. */
#define IN_BLOCK 16384
#define OUT_BLOCK 65536
/* A 20 ms frame whose RMS is below this counts as silence. */
#define SILENCE_DBFS (-60.0)

/* The fields written besides the audio field, in this order. */
static const char *const out_names[] = {
	".sampling_rate", ".channels", ".duration", ".orig_sampling_rate",
	".orig_channels", ".orig_format", ".peak_dbfs", ".rms_dbfs",
	".clipped_ratio", ".silence_ratio"
};
#define NOUT (1 + (int)(sizeof(out_names) / sizeof(out_names[0])))

struct resample {
	const char *field_text;
	struct field field;
	struct field out_field[NOUT];
	const char *root;
	const char *out_dir;
	const char *name;
	int allow_any_path;
	int rate;
	int channels;
	int channel;		/* 1-based; 0: the mean */
	int flac;
	int bits;		/* 16, 24, or 32 for float */
	enum audio_engine engine;
	enum audio_quality quality;
	int dither;
	int link;
	int trim;
	double trim_db;
	int normalize;
	double norm_dbfs;
	double min_dur, max_dur;	/* < 0: none */
	int sf_format;		/* the target's libsndfile format */
	char *comment;		/* what made an output, stored in it */

	/* Ordered phase: output name -> source. */
	struct map names;
	atomic_ullong clipped, converted, copied, skipped;
};

static struct resample S;

struct wctx {
	struct buf src, full, rel, dest, tmp, json, bin, val;
	struct fbuf in, mix, out;
	int *ibuf;
	short *sbuf;
	unsigned counter;
	struct audio_rs *rs;	/* the last resampler, kept for the next */
};

static void *
worker_new(void *arg)
{
	struct wctx *w = df_xcalloc(1, sizeof(*w));

	(void)arg;
	w->ibuf = df_xmalloc(OUT_BLOCK * 8 * sizeof(int));
	w->sbuf = df_xmalloc(OUT_BLOCK * 8 * sizeof(short));
	return w;
}

static void
worker_free(void *p)
{
	struct wctx *w = p;

	buf_release(&w->src);
	buf_release(&w->full);
	buf_release(&w->rel);
	buf_release(&w->dest);
	buf_release(&w->tmp);
	buf_release(&w->json);
	buf_release(&w->bin);
	buf_release(&w->val);
	fbuf_release(&w->in);
	fbuf_release(&w->mix);
	fbuf_release(&w->out);
	free(w->ibuf);
	free(w->sbuf);
	audio_rs_free(w->rs);
	free(w);
}

/* Where one record's audio comes from and goes. */
struct job {
	const char *shown;	/* the path as the record gives it, or "bytes" */
	int from_bytes;
	struct audio_mem mem;	/* the bytes */
	struct stat st;		/* the source file */
	SF_INFO info;		/* the source's header */
	int oc;			/* output channels */
	int64_t start, end;	/* frames to keep, [start, end) */
	double gain;
	uint64_t target;	/* output frames */
	struct audio_levels lv;
	uint64_t clipped;
	uint64_t rng;
	int copy;		/* already in the target format */
	int as_object;		/* the field was an object: keep the shape */
	int pick;		/* channel taken (1-based), 0: mean or all */
};

/*
 * libsndfile keeps the error of a failed open in one global: opens go
 * one at a time, and the message is kept per thread.
 */
static pthread_mutex_t sf_mu = PTHREAD_MUTEX_INITIALIZER;
static _Thread_local char sf_err[256];

static SNDFILE *
xsf_open(const char *path, int mode, SF_INFO *info, struct audio_mem *mem)
{
	SNDFILE *sf;

	pthread_mutex_lock(&sf_mu);
	sf = mem != NULL ? sf_open_virtual(&audio_mem_io, mode, info, mem) :
	    sf_open(path, mode, info);
	if (sf == NULL)
		snprintf(sf_err, sizeof(sf_err), "%s", sf_strerror(NULL));
	pthread_mutex_unlock(&sf_mu);
	return sf;
}

/* libsndfile's message for a failed open, without its full stop. */
static int
open_error(struct df_err *e, const char *shown)
{
	char msg[256];
	size_t n;

	snprintf(msg, sizeof(msg), "%s", sf_err);
	n = strlen(msg);
	while (n > 0 && (msg[n - 1] == '.' || msg[n - 1] == '\n' ||
	    msg[n - 1] == ' '))
		msg[--n] = '\0';
	if (strcmp(msg, "Format not recognised") == 0)
		return df_err_set(e, "unreadable", "'%s': not audio in a "
		    "format libsndfile reads", shown);
	return df_err_set(e, "unreadable", "'%s': %s", shown, msg);
}

/*
 * Whether libsndfile found a data chunk shorter than its header says: it
 * then decodes the frames present, so look in its log.  A size of 0 or
 * 0xffffffff is a streaming writer's "unknown", not a truncation.
 */
static int
truncated(SNDFILE *sf, char *what, size_t n)
{
	char log[8192], *p, *q;
	unsigned long long said, is;

	if (sf_command(sf, SFC_GET_LOG_INFO, log, sizeof(log)) <= 0)
		return 0;
	for (p = log; (p = strstr(p, "data : ")) != NULL; p++) {
		if ((q = strchr(p, '\n')) != NULL)
			*q = '\0';
		if (sscanf(p, "data : %llu (should be %llu)", &said,
		    &is) == 2 && said > is && said != 0xffffffffULL &&
		    said != 0) {
			snprintf(what, n, "header says %llu bytes of audio, "
			    "the file has %llu", said, is);
			return 1;
		}
		if (q == NULL)
			break;
		*q = '\n';
	}
	return 0;
}

/* Open the source for reading (again). */
static SNDFILE *
src_open(struct job *j, const char *path, SF_INFO *info)
{
	memset(info, 0, sizeof(*info));
	if (j->from_bytes) {
		j->mem.pos = 0;
		return xsf_open(NULL, SFM_READ, info, &j->mem);
	}
	return xsf_open(path, SFM_READ, info, NULL);
}

/* Mix n frames of in (ich channels) into out (oc channels). */
static void
mix(int pick, const float *in, size_t n, int ich, int oc, double gain,
    float *out)
{
	size_t i;
	int c;
	double acc;

	for (i = 0; i < n; i++) {
		if (oc == ich && pick == 0) {
			for (c = 0; c < oc; c++)
				out[i * (size_t)oc + (size_t)c] = (float)(gain *
				    in[i * (size_t)ich + (size_t)c]);
		} else if (pick > 0)
			out[i] = (float)(gain * in[i * (size_t)ich +
			    (size_t)(pick - 1)]);
		else {
			acc = 0;
			for (c = 0; c < ich; c++)
				acc += in[i * (size_t)ich + (size_t)c];
			out[i] = (float)(gain * acc / ich);
		}
	}
}

/*
 * First pass, for --trim-silence and --normalize: the peak of the mixed
 * signal and the first and last frames at or above the threshold.
 */
static int
scan(struct resample *s, struct wctx *w, struct job *j, const char *path,
    struct df_err *e)
{
	SF_INFO info;
	SNDFILE *sf = src_open(j, path, &info);
	double thr = pow(10.0, s->trim_db / 20.0), peak = 0, a;
	int64_t pos = 0, first = -1, last = -1;
	sf_count_t got;
	size_t i, k, oc = (size_t)j->oc;

	if (sf == NULL)
		return open_error(e, j->shown);
	fbuf_grow(&w->in, IN_BLOCK * (size_t)info.channels);
	fbuf_grow(&w->mix, IN_BLOCK * oc);
	while ((got = sf_readf_float(sf, w->in.data, IN_BLOCK)) > 0) {
		mix(j->pick, w->in.data, (size_t)got, info.channels, j->oc,
		    1.0, w->mix.data);
		for (i = 0; i < (size_t)got; i++) {
			for (k = 0; k < oc; k++) {
				a = fabs(w->mix.data[i * oc + k]);
				if (a > peak)
					peak = a;
				if (a >= thr) {
					if (first < 0)
						first = pos + (int64_t)i;
					last = pos + (int64_t)i;
				}
			}
		}
		pos += got;
	}
	sf_close(sf);
	if (s->trim) {
		j->start = first < 0 ? 0 : first;
		j->end = first < 0 ? 0 : last + 1;
	}
	if (s->normalize && peak > 0)
		j->gain = pow(10.0, s->norm_dbfs / 20.0) / peak;
	return 0;
}

/* Write n frames of x: convert, measure, write in bounded blocks. */
static int
put_frames(struct resample *s, struct wctx *w, struct job *j, SNDFILE *out,
    const float *x, size_t n, struct df_err *e)
{
	size_t m, oc = (size_t)j->oc, i;
	sf_count_t put;

	while (n > 0) {
		m = n < OUT_BLOCK / oc ? n : OUT_BLOCK / oc;
		if (s->bits == 32) {
			audio_levels_add_float(&j->lv, x, m * oc);
			put = out == NULL ? (sf_count_t)m :
			    sf_writef_float(out, x, (sf_count_t)m);
		} else {
			j->clipped += audio_quantize(x, m * oc, s->bits,
			    s->dither ? &j->rng : NULL, w->ibuf);
			audio_levels_add_int(&j->lv, w->ibuf, m * oc, s->bits);
			if (out == NULL)
				put = (sf_count_t)m;
			else if (s->bits == 16) {
				for (i = 0; i < m * oc; i++)
					w->sbuf[i] = (short)w->ibuf[i];
				put = sf_writef_short(out, w->sbuf,
				    (sf_count_t)m);
			} else
				put = sf_writef_int(out, w->ibuf,
				    (sf_count_t)m);
		}
		if (put != (sf_count_t)m)
			return df_err_set(e, "write-error", "'%s': cannot "
			    "write: %s", j->shown, sf_strerror(out));
		x += m * oc;
		n -= m;
	}
	return 0;
}

/* Whether the header's frame count is exact (not a compressed estimate). */
static int
exact_frames(const SF_INFO *i)
{
	int major = i->format & SF_FORMAT_TYPEMASK;

	return major != SF_FORMAT_OGG && major != SF_FORMAT_MPEG &&
	    i->frames < SF_COUNT_MAX;
}

/*
 * The conversion pass: decode [start, end), mix, resample and write
 * exactly j->target frames to out (or only measure, out NULL).
 */
static int
convert(struct resample *s, struct wctx *w, struct job *j, SNDFILE *in,
    SNDFILE *out, struct df_err *e)
{
	struct audio_rs *rs = NULL;
	size_t oc = (size_t)j->oc, n, ready, lo, hi;
	int64_t pos = 0;
	uint64_t fed = 0, written = 0, can;
	sf_count_t got;
	int rc = -1, resample = j->info.samplerate != s->rate;
	static const float zeros[1024];

	if (resample) {
		/* The worker's last one, when it fits: no filter design. */
		if (audio_rs_reuse(w->rs, s->engine, s->quality,
		    j->info.samplerate, s->rate, j->oc))
			rs = w->rs;
		else {
			audio_rs_free(w->rs);
			rs = audio_rs_new(s->engine, s->quality,
			    j->info.samplerate, s->rate, j->oc, e);
		}
		w->rs = NULL;
		if (rs == NULL)
			return -1;
	}
	fbuf_grow(&w->in, IN_BLOCK * (size_t)j->info.channels);
	fbuf_grow(&w->mix, IN_BLOCK * oc);
	w->out.len = 0;
	while ((got = sf_readf_float(in, w->in.data, IN_BLOCK)) > 0) {
		lo = pos < j->start ? (size_t)(j->start - pos) : 0;
		hi = pos + got > j->end ? (j->end > pos ? (size_t)(j->end -
		    pos) : 0) : (size_t)got;
		pos += got;
		if (lo >= hi)
			continue;
		n = hi - lo;
		mix(j->info.channels == j->oc ? 0 : j->pick, w->in.data + lo *
		    (size_t)j->info.channels, n, j->info.channels, j->oc,
		    j->gain, w->mix.data);
		fed += n;
		if (rs != NULL) {
			if (audio_rs_process(rs, w->mix.data, n, 0, &w->out,
			    e) < 0)
				goto out;
		} else {
			fbuf_grow(&w->out, n * oc);
			memcpy(w->out.data + w->out.len, w->mix.data,
			    n * oc * sizeof(float));
			w->out.len += n * oc;
		}
		/* Never beyond what the input so far is sure to give. */
		can = audio_out_frames(fed, j->info.samplerate, s->rate);
		can = can > 0 ? can - 1 : 0;
		ready = w->out.len / oc;
		if (written + ready > can)
			ready = can > written ? (size_t)(can - written) : 0;
		if (ready > 0) {
			if (put_frames(s, w, j, out, w->out.data, ready, e) < 0)
				goto out;
			written += ready;
			fbuf_shift(&w->out, ready * oc);
		}
	}
	if (got < 0 || sf_error(in) != SF_ERR_NO_ERROR) {
		df_err_set(e, "decode-error", "'%s': %s", j->shown,
		    sf_strerror(in));
		goto out;
	}
	if (pos < (int64_t)j->info.frames && exact_frames(&j->info)) {
		df_err_set(e, "truncated", "'%s': truncated: %lld of %lld "
		    "frames decoded", j->shown, (long long)pos,
		    (long long)j->info.frames);
		goto out;
	}
	if (pos != (int64_t)j->info.frames && !s->trim) {
		/* The header's count was an estimate: use what was there. */
		j->end = pos;
		j->target = audio_out_frames((uint64_t)pos,
		    j->info.samplerate, s->rate);
	}
	if (rs != NULL && audio_rs_process(rs, NULL, 0, 1, &w->out, e) < 0)
		goto out;
	ready = w->out.len / oc;
	if (written + ready > j->target)
		ready = (size_t)(j->target - written);
	if (put_frames(s, w, j, out, w->out.data, ready, e) < 0)
		goto out;
	written += ready;
	while (written < j->target) {
		n = j->target - written < sizeof(zeros) / sizeof(zeros[0]) /
		    oc ? (size_t)(j->target - written) :
		    sizeof(zeros) / sizeof(zeros[0]) / oc;
		if (put_frames(s, w, j, out, zeros, n, e) < 0)
			goto out;
		written += n;
	}
	rc = 0;
out:
	if (rs != NULL && rc == 0) {
		audio_rs_free(w->rs);
		w->rs = rs;
	} else
		audio_rs_free(rs);
	w->out.len = 0;
	return rc;
}

/* Append the JSON string of p[0..n) to b. */
static void
jstr(struct buf *b, const char *p, size_t n)
{
	json_string_encode(b, p, n);
}

/* Whether a path component may be used as is in a file name. */
static void
name_part(struct buf *b, const char *p, size_t n)
{
	size_t i;
	unsigned char c;

	for (i = 0; i < n; i++) {
		c = (unsigned char)p[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_' ||
		    (c == '.' && i > 0) || c >= 0x80)
			buf_addc(b, c);
		else
			buf_addf(b, "%%%02X", c);
	}
}

/*
 * The output's path relative to --out-dir: the source's path with its
 * extension replaced, or --name with {id} filled in.
 */
static int
out_name(struct resample *s, struct wctx *w, struct rec *r, struct job *j,
    struct df_err *e)
{
	const char *ext = s->flac ? ".flac" : ".wav", *p, *q, *dot;
	long at;

	buf_reset(&w->rel);
	if (s->name != NULL) {
		const struct json_obj *o = r->obj;

		for (p = s->name; *p != '\0'; p++) {
			if (strncmp(p, "{id}", 4) != 0) {
				buf_addc(&w->rel, *p);
				continue;
			}
			at = json_obj_find(o, r->line, "id", 2);
			if (at < 0 || (o->m[at].kind != JSON_STRING &&
			    o->m[at].kind != JSON_NUMBER))
				return df_err_set(e, "no-id", "--name needs "
				    "an id, and the record has none");
			buf_reset(&w->val);
			if (o->m[at].kind == JSON_STRING)
				(void)json_string_decode(r->line +
				    o->m[at].val_off, o->m[at].val_len,
				    &w->val);
			else
				buf_add(&w->val, r->line + o->m[at].val_off,
				    o->m[at].val_len);
			if (w->val.len == 0)
				return df_err_set(e, "no-id", "the id is "
				    "empty");
			name_part(&w->rel, w->val.data, w->val.len);
			p += 3;
		}
		/* Literal parts may not climb out either. */
		for (p = w->rel.data; p != NULL && *p; p = q ? q + 1 : NULL) {
			q = strchr(p, '/');
			if ((q ? (size_t)(q - p) : strlen(p)) == 2 &&
			    p[0] == '.' && p[1] == '.')
				return df_err_set(e, "bad-path", "--name gives "
				    "'%s', which leaves --out-dir", w->rel.data);
		}
		if (w->rel.len == 0 || w->rel.data[0] == '/')
			return df_err_set(e, "bad-path", "--name gives an "
			    "unusable name '%s'", w->rel.data ? w->rel.data :
			    "");
		dot = strrchr(w->rel.data, '.');
		if (dot == NULL || strchr(dot, '/') != NULL ||
		    strcmp(dot, ext) != 0)
			buf_adds(&w->rel, ext);
		return 0;
	}
	if (j->from_bytes)
		return df_err_set(e, "no-name", "audio given as bytes needs "
		    "--name to be written under --out-dir");
	/* Mirror the path, component by component. */
	for (p = j->shown; *p != '\0'; p = *q ? q + 1 : q) {
		q = strchr(p, '/');
		if (q == NULL)
			q = p + strlen(p);
		if (q == p || (q - p == 1 && p[0] == '.'))
			continue;
		if (w->rel.len > 0)
			buf_addc(&w->rel, '/');
		if (*q == '\0') {
			dot = NULL;
			for (const char *t = p; t < q; t++)
				if (*t == '.' && t > p)
					dot = t;
			name_part(&w->rel, p, dot ? (size_t)(dot - p) :
			    (size_t)(q - p));
			buf_adds(&w->rel, ext);
		} else
			name_part(&w->rel, p, (size_t)(q - p));
	}
	if (w->rel.len == 0)
		return df_err_set(e, "bad-path", "'%s' names no file",
		    j->shown);
	return 0;
}

/* Create the folders on the way to path. */
static int
make_dirs(const char *path, struct df_err *e)
{
	char *p = df_xstrdup(path), *q;

	for (q = strchr(p + 1, '/'); q != NULL; q = strchr(q + 1, '/')) {
		*q = '\0';
		if (mkdir(p, 0777) < 0 && errno != EEXIST) {
			df_err_set(e, "write-error", "cannot create '%s': %s",
			    p, strerror(errno));
			free(p);
			return -1;
		}
		*q = '/';
	}
	free(p);
	return 0;
}

static int
is_target(const struct resample *s, const SF_INFO *i, int oc)
{
	return i->format == s->sf_format && i->samplerate == s->rate &&
	    i->channels == oc;
}

/*
 * Whether dest is a complete output of this source: newer than it, in
 * the target format, made with these options from this path (or a copy
 * of the source).
 */
static int
usable_output(struct resample *s, struct job *j, const char *dest)
{
	struct stat ds;
	SF_INFO di;
	SNDFILE *sf;
	const char *c;
	int ok;

	if (j->from_bytes || stat(dest, &ds) < 0 || !S_ISREG(ds.st_mode))
		return 0;
	if (ds.st_mtim.tv_sec < j->st.st_mtim.tv_sec ||
	    (ds.st_mtim.tv_sec == j->st.st_mtim.tv_sec &&
	    ds.st_mtim.tv_nsec < j->st.st_mtim.tv_nsec))
		return 0;
	memset(&di, 0, sizeof(di));
	if ((sf = xsf_open(dest, SFM_READ, &di, NULL)) == NULL)
		return 0;
	ok = is_target(s, &di, j->oc) && di.frames > 0;
	if (ok) {
		c = sf_get_string(sf, SF_STR_COMMENT);
		if (c == NULL || strncmp(c, s->comment, strlen(s->comment)) ||
		    strcmp(c + strlen(s->comment), j->shown) != 0)
			/* A copy: same size as a source in target format. */
			ok = j->copy && ds.st_size == j->st.st_size;
	}
	sf_close(sf);
	return ok;
}

/* Copy (or hard-link) the source to tmp. */
static int
copy_file(struct resample *s, struct job *j, const char *src,
    const char *tmp, struct df_err *e)
{
	char chunk[65536];
	ssize_t n;
	int in, out;

	if (j->from_bytes) {
		FILE *fp = fopen(tmp, "wb");

		if (fp == NULL || fwrite(j->mem.ro, 1, j->mem.rolen, fp) !=
		    j->mem.rolen || fclose(fp) != 0)
			return df_err_set(e, "write-error", "'%s': %s", tmp,
			    strerror(errno));
		return 0;
	}
	if (s->link && link(src, tmp) == 0)
		return 0;
	if ((in = open(src, O_RDONLY)) < 0)
		return df_err_set(e, "unreadable", "'%s': %s", j->shown,
		    strerror(errno));
	if ((out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0666)) < 0) {
		close(in);
		return df_err_set(e, "write-error", "'%s': %s", tmp,
		    strerror(errno));
	}
	while ((n = read(in, chunk, sizeof(chunk))) > 0)
		if (write(out, chunk, (size_t)n) != n) {
			n = -1;
			break;
		}
	close(in);
	if (n < 0 || close(out) != 0) {
		unlink(tmp);
		return df_err_set(e, "write-error", "'%s': %s", tmp,
		    strerror(errno));
	}
	return 0;
}

/* The memo a record leaves for the ordered phase. */
enum { MEMO_OUT = 'O', MEMO_DROP = 'D' };

static void
memo_str(struct buf *b, const char *p, size_t n)
{
	buf_add(b, p, n);
	buf_addc(b, '\0');
}

/*
 * Read the record's audio field into j (path or bytes).
 */
static int
get_source(struct resample *s, struct wctx *w, struct rec *r, struct job *j,
    struct df_err *e)
{
	size_t off, len;
	enum json_kind kind;
	jv v, p, by;
	int rc = 0;

	buf_reset(&w->src);
	if (!field_find(&s->field, r->line, r->obj, &off, &len, &kind) ||
	    kind == JSON_NULL)
		return df_err_set(e, "missing-audio", "field '%s' is missing",
		    s->field_text);
	if (kind == JSON_STRING) {
		(void)json_string_decode(r->line + off, len, &w->src);
		j->shown = w->src.data ? w->src.data : "";
		return 0;
	}
	if (kind != JSON_OBJECT)
		return df_err_set(e, "missing-audio", "field '%s' is neither "
		    "a path nor an object", s->field_text);
	j->as_object = 1;
	v = jv_parse_sized(r->line + off, (int)len);
	by = jv_object_get(jv_copy(v), jv_string("bytes"));
	p = jv_object_get(jv_copy(v), jv_string("path"));
	if (jv_get_kind(by) == JV_KIND_STRING) {
		buf_reset(&w->bin);
		if (audio_base64_decode(jv_string_value(by),
		    (size_t)jv_string_length_bytes(jv_copy(by)), &w->bin) < 0)
			rc = df_err_set(e, "bad-base64", "'%s.bytes' is not "
			    "base64", s->field_text);
		j->from_bytes = 1;
		j->shown = "bytes";
		j->mem.ro = (const unsigned char *)(w->bin.data ? w->bin.data :
		    "");
		j->mem.rolen = w->bin.len;
	} else if (jv_get_kind(p) == JV_KIND_STRING) {
		buf_adds(&w->src, jv_string_value(p));
		j->shown = w->src.data;
	} else
		rc = df_err_set(e, "missing-audio", "field '%s' has neither "
		    "\"path\" nor \"bytes\"", s->field_text);
	jv_free(v);
	jv_free(by);
	jv_free(p);
	return rc;
}

/* Check a path and resolve it against --root into w->tmp. */
static int
resolve(struct resample *s, struct wctx *w, struct job *j, struct df_err *e)
{
	const char *p = j->shown, *q;

	if (*p == '\0')
		return df_err_set(e, "bad-path", "the audio path is empty");
	if (!s->allow_any_path) {
		if (*p == '/')
			return df_err_set(e, "bad-path", "'%s' is absolute "
			    "(--allow-any-path to accept)", p);
		for (; p != NULL; p = q ? q + 1 : NULL) {
			q = strchr(p, '/');
			if ((q ? (size_t)(q - p) : strlen(p)) == 2 &&
			    p[0] == '.' && p[1] == '.')
				return df_err_set(e, "bad-path", "'%s' leaves "
				    "--root (--allow-any-path to accept)",
				    j->shown);
		}
	}
	buf_reset(&w->full);
	if (j->shown[0] != '/' && s->root != NULL)
		buf_addf(&w->full, "%s/", s->root);
	buf_adds(&w->full, j->shown);
	if (stat(w->full.data, &j->st) < 0)
		return df_err_set(e, errno == ENOENT ? "missing-file" :
		    "unreadable", "'%s': %s", j->shown, strerror(errno));
	if (!S_ISREG(j->st.st_mode))
		return df_err_set(e, "unreadable", "'%s' is not a file",
		    j->shown);
	if (j->st.st_size == 0)
		return df_err_set(e, "empty-file", "'%s' is an empty file",
		    j->shown);
	return 0;
}

/* The source's header: checks and the plan (channels, range, length). */
static int
plan(struct resample *s, struct job *j, struct df_err *e)
{
	if (j->info.channels < 1 || j->info.samplerate < 1)
		return df_err_set(e, "unreadable", "'%s': no channels or "
		    "no sampling rate", j->shown);
	if (j->info.frames <= 0)
		return df_err_set(e, "empty-audio", "'%s' holds no audio",
		    j->shown);
	if (s->channel > j->info.channels)
		return df_err_set(e, "no-channel", "'%s' has %d channel%s, "
		    "not %d", j->shown, j->info.channels,
		    j->info.channels == 1 ? "" : "s", s->channel);
	j->oc = s->channels;
	j->pick = s->channel;
	if (s->channels > 1 && j->info.channels != s->channels)
		return df_err_set(e, "channels", "'%s' has %d channels, not "
		    "--channels %d", j->shown, j->info.channels, s->channels);
	j->start = 0;
	j->end = j->info.frames;
	j->gain = 1.0;
	j->copy = !s->trim && !s->normalize && (s->channel <= 1 ||
	    j->info.channels == 1) && is_target(s, &j->info, j->oc);
	return 0;
}

/* The shortest decimal that reads back as d (0.2999375, not 0.299938). */
static void
shortest(struct buf *b, double d)
{
	char t[40];
	int prec;

	for (prec = 6; prec < 17; prec++) {
		snprintf(t, sizeof(t), "%.*g", prec, d);
		if (strtod(t, NULL) == d)
			break;
	}
	buf_adds(b, t);
}

/* Format the output fields as JSON texts into w->json, NUL-separated. */
static void
facts(struct resample *s, struct wctx *w, struct job *j, const char *dest)
{
	struct buf lv = BUF_INIT;
	const char *p, *q;
	int i;

	buf_reset(&w->json);
	if (dest != NULL) {
		/* The value keeps the field's shape: path or {"path":..}. */
		if (j->from_bytes || j->as_object) {
			buf_adds(&w->json, "{\"path\":");
			jstr(&w->json, dest, strlen(dest));
			buf_addc(&w->json, '}');
		} else
			jstr(&w->json, dest, strlen(dest));
	}
	buf_addc(&w->json, '\0');
	buf_addf(&w->json, "%d%c%d%c", s->rate, 0, j->oc, 0);
	shortest(&w->json, (double)j->target / s->rate);
	buf_addc(&w->json, '\0');
	buf_addf(&w->json, "%d%c%d%c", j->info.samplerate, 0,
	    j->info.channels, 0);
	/* "wav/pcm16", "ogg/vorbis", "flac/pcm24"; MPEG as "mp3". */
	if ((j->info.format & SF_FORMAT_TYPEMASK) == SF_FORMAT_MPEG)
		buf_addf(&w->json, "\"%s\"%c",
		    audio_subtype_name(j->info.format), 0);
	else
		buf_addf(&w->json, "\"%s/%s\"%c",
		    audio_major_name(j->info.format),
		    audio_subtype_name(j->info.format), 0);
	audio_levels_json(&j->lv, &lv);
	/* "peak_dbfs":x,"rms_dbfs":y,...: keep the values only. */
	for (p = lv.data, i = 0; p != NULL && i < 4; i++) {
		p = strchr(p, ':') + 1;
		q = strchr(p, ',');
		buf_add(&w->json, p, q ? (size_t)(q - p) : strlen(p));
		buf_addc(&w->json, '\0');
		p = q;
	}
	buf_release(&lv);
}

static int
resample_record(struct rec *r, struct emit *o, void *wp, struct df_err *e)
{
	struct resample *s = &S;
	struct wctx *w = wp;
	struct job j;
	SNDFILE *in = NULL, *out = NULL;
	SF_INFO oi;
	struct buf memo = BUF_INIT;
	const char *path = NULL, *dest = NULL, *drop = NULL;
	double dur;
	int rc = -1, made_tmp = 0, skip = 0;
	struct audio_mem om;

	memset(&j, 0, sizeof(j));
	memset(&om, 0, sizeof(om));
	if (get_source(s, w, r, &j, e) < 0)
		return -1;
	if (!j.from_bytes) {
		if (resolve(s, w, &j, e) < 0)
			return -1;
		path = w->full.data;
	} else if (j.mem.rolen == 0)
		return df_err_set(e, "empty-file", "'%s.bytes' is empty",
		    s->field_text);
	if ((in = src_open(&j, path, &j.info)) == NULL)
		return open_error(e, j.shown);
	if (plan(s, &j, e) < 0)
		goto out;
	{
		char what[160];

		if (truncated(in, what, sizeof(what))) {
			df_err_set(e, "truncated", "'%s' is truncated: %s",
			    j.shown, what);
			goto out;
		}
	}
	j.rng = hash_siphash(0x6466, 0x72657361, j.shown, strlen(j.shown)) |
	    1;
	if (s->trim || s->normalize) {
		if (scan(s, w, &j, path, e) < 0)
			goto out;
		if (j.end <= j.start) {
			drop = "silent";
			buf_addc(&memo, MEMO_DROP);
			memo_str(&memo, "silent", 6);
			buf_addf(&memo, "'%s' is below %g dBFS throughout",
			    j.shown, s->trim_db);
			buf_addc(&memo, '\0');
			emit_memo(o, memo.data, memo.len);
			rc = 0;
			goto out;
		}
	}
	j.target = audio_out_frames((uint64_t)(j.end - j.start),
	    j.info.samplerate, s->rate);
	dur = (double)j.target / s->rate;
	if ((s->min_dur >= 0 && dur < s->min_dur) ||
	    (s->max_dur >= 0 && dur > s->max_dur)) {
		drop = dur < s->min_dur ? "too-short" : "too-long";
		buf_addc(&memo, MEMO_DROP);
		memo_str(&memo, drop, strlen(drop));
		buf_addf(&memo, "'%s' lasts %.3f s, %s %g s", j.shown, dur,
		    dur < s->min_dur ? "under" : "over", dur < s->min_dur ?
		    s->min_dur : s->max_dur);
		buf_addc(&memo, '\0');
		emit_memo(o, memo.data, memo.len);
		rc = 0;
		goto out;
	}
	audio_levels_init(&j.lv, (size_t)(s->rate / 50) * (size_t)j.oc,
	    SILENCE_DBFS);
	if (s->out_dir != NULL) {
		if (out_name(s, w, r, &j, e) < 0)
			goto out;
		buf_reset(&w->dest);
		buf_addf(&w->dest, "%s/%s", s->out_dir, w->rel.data);
		dest = w->dest.data;
		skip = usable_output(s, &j, dest);
	}
	if (skip) {
		/* Measure the existing output. */
		SF_INFO di;
		SNDFILE *d;

		memset(&di, 0, sizeof(di));
		if ((d = xsf_open(dest, SFM_READ, &di, NULL)) == NULL) {
			df_err_set(e, "unreadable", "'%s': %s", dest,
			    sf_err);
			goto out;
		}
		j.target = (uint64_t)di.frames;
		{
			SF_INFO keep = j.info;

			j.info = di;
			j.start = 0;
			j.end = di.frames;
			j.gain = 1;
			rc = convert(s, w, &j, d, NULL, e);
			j.info = keep;
		}
		sf_close(d);
		if (rc < 0)
			goto out;
		atomic_fetch_add(&s->skipped, 1);
	} else if (j.copy) {
		/* Check it decodes and measure it, then copy. */
		rc = convert(s, w, &j, in, NULL, e);
		if (rc < 0)
			goto out;
		rc = -1;
		if (dest != NULL) {
			if (make_dirs(dest, e) < 0)
				goto out;
			buf_reset(&w->tmp);
			buf_addf(&w->tmp, "%s.df-tmp.%ld.%u", dest,
			    (long)getpid(), w->counter++);
			if (copy_file(s, &j, path, w->tmp.data, e) < 0)
				goto out;
			made_tmp = 1;
		} else
			buf_add(&om.b, j.mem.ro, j.mem.rolen);
		atomic_fetch_add(&s->copied, 1);
	} else {
		memset(&oi, 0, sizeof(oi));
		oi.samplerate = s->rate;
		oi.channels = j.oc;
		oi.format = s->sf_format;
		if (dest != NULL) {
			if (make_dirs(dest, e) < 0)
				goto out;
			buf_reset(&w->tmp);
			buf_addf(&w->tmp, "%s.df-tmp.%ld.%u", dest,
			    (long)getpid(), w->counter++);
			out = xsf_open(w->tmp.data, SFM_WRITE, &oi, NULL);
			made_tmp = out != NULL;
		} else
			out = xsf_open(NULL, SFM_WRITE, &oi, &om);
		if (out == NULL) {
			df_err_set(e, "write-error", "'%s': %s", dest ? dest :
			    "memory", sf_err);
			goto out;
		}
		if (dest != NULL) {
			struct buf c = BUF_INIT;

			buf_addf(&c, "%s%s", s->comment, j.shown);
			sf_set_string(out, SF_STR_COMMENT, c.data);
			buf_release(&c);
		}
		if (convert(s, w, &j, in, out, e) < 0)
			goto out;
		if (sf_close(out) != 0) {
			out = NULL;
			df_err_set(e, "write-error", "'%s': cannot write",
			    dest ? dest : "memory");
			goto out;
		}
		out = NULL;
		atomic_fetch_add(&s->converted, 1);
		atomic_fetch_add(&s->clipped, j.clipped);
	}
	facts(s, w, &j, dest);
	if (dest == NULL) {
		/* Inline: {"bytes": base64}. */
		struct buf v = BUF_INIT;

		buf_adds(&v, "{\"bytes\":\"");
		audio_base64_encode(&v, (const unsigned char *)om.b.data,
		    om.b.len);
		buf_adds(&v, "\"}");
		buf_addc(&memo, MEMO_OUT);
		memo_str(&memo, "", 0);
		memo_str(&memo, "", 0);
		memo_str(&memo, j.shown, strlen(j.shown));
		memo_str(&memo, v.data, v.len);
		buf_add(&memo, w->json.data + 1, w->json.len - 1);
		buf_release(&v);
	} else {
		buf_addc(&memo, MEMO_OUT);
		memo_str(&memo, made_tmp ? w->tmp.data : "", made_tmp ?
		    w->tmp.len : 0);
		memo_str(&memo, dest, strlen(dest));
		memo_str(&memo, j.shown, strlen(j.shown));
		buf_add(&memo, w->json.data, w->json.len);
	}
	emit_memo(o, memo.data, memo.len);
	made_tmp = 0;
	rc = 0;
out:
	if (out != NULL)
		sf_close(out);
	if (in != NULL)
		sf_close(in);
	if (made_tmp)
		unlink(w->tmp.data);
	buf_release(&om.b);
	buf_release(&memo);
	(void)drop;
	return rc;
}

static int
resample_ordered(struct rec *r, const void *memo, size_t len,
    struct emit *o, void *arg, struct df_err *e)
{
	struct resample *s = arg;
	const char *m = memo, *p, *tmp, *dest, *shown;
	const struct field *fl[NOUT];
	const char *val[NOUT];
	size_t vlen[NOUT];
	uint64_t h0, h1, sh, *v;
	int i, added;

	(void)len;
	if (m[0] == MEMO_DROP) {
		/* The loop keeps the reason's pointer: a static string. */
		static const char *const reasons[] = { "silent", "too-short",
		    "too-long" };

		p = m + 1;
		for (i = 0; i < 2 && strcmp(p, reasons[i]) != 0; i++)
			;
		emit_drop(o, r, reasons[i], p + strlen(p) + 1, NULL);
		return 0;
	}
	tmp = m + 1;
	dest = tmp + strlen(tmp) + 1;
	shown = dest + strlen(dest) + 1;
	p = shown + strlen(shown) + 1;
	if (*dest != '\0') {
		h0 = hash_siphash(1, 2, dest, strlen(dest));
		h1 = hash_siphash(3, 4, dest, strlen(dest));
		sh = hash_siphash(5, 6, shown, strlen(shown));
		v = map_put(&s->names, h0, h1, sh, &added);
		if (!added && *v != sh) {
			if (*tmp != '\0')
				unlink(tmp);
			return df_err_set(e, "name-collision", "'%s' would "
			    "also be written to '%s' by an earlier record "
			    "(use --name)", shown, dest);
		}
		if (*tmp != '\0' && rename(tmp, dest) < 0) {
			df_err_set(e, "write-error", "cannot rename to '%s': "
			    "%s", dest, strerror(errno));
			unlink(tmp);
			return -1;
		}
	}
	for (i = 0; i < NOUT; i++) {
		fl[i] = i == 0 ? &s->field : &s->out_field[i];
		val[i] = p;
		vlen[i] = strlen(p);
		p += vlen[i] + 1;
	}
	return emit_set_fields(o, 0, r, NOUT, fl, val, vlen, e);
}

static void
resample_stats(void *arg, struct buf *b)
{
	struct resample *s = arg;

	buf_addf(b, "\"converted\":%llu,\"copied\":%llu,\"skipped\":%llu,"
	    "\"clipped_samples\":%llu", (unsigned long long)s->converted,
	    (unsigned long long)s->copied, (unsigned long long)s->skipped,
	    (unsigned long long)s->clipped);
}

static void
resample_start(void *arg)
{
	struct resample *s = arg;
	struct df_err e;
	struct buf b = BUF_INIT;

	if (s->out_dir == NULL)
		return;
	buf_addf(&b, "%s/", s->out_dir);
	if (make_dirs(b.data, &e) < 0)
		die("%s", e.msg);
	buf_release(&b);
}

static double
num_opt(const char *name, const char *arg, double min, double max)
{
	double v;

	if (cli_strtod(arg, min, max, &v) < 0)
		cli_bad("%s must be a number from %g to %g, not '%s'", name,
		    min, max, arg);
	return v;
}

int
main(int argc, char *argv[])
{
	struct resample *s = &S;
	struct filter f;
	const char *errstr;
	char err[160];
	int ch, i;
	long ncpu;

	cli_init(argc, argv);
	filter_init(&f, argc, argv);
	ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	f.jobs = ncpu < 1 ? 1 : ncpu > 64 ? 64 : (int)ncpu;
	s->field_text = ".audio";
	s->rate = 16000;
	s->channels = 1;
	s->bits = 16;
	s->engine = AUDIO_SOXR;
	s->quality = AUDIO_BEST;
	s->min_dur = s->max_dur = -1;
	while ((ch = getopt_long(argc, argv, "hj:quV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'h':
			cli_help(USAGE, HELP);
		case 'V':
			cli_version();
		case OPT_ALLOW_ANY_PATH:
			s->allow_any_path = 1;
			break;
		case OPT_BITS:
			if (strcmp(optarg, "16") == 0)
				s->bits = 16;
			else if (strcmp(optarg, "24") == 0)
				s->bits = 24;
			else if (strcmp(optarg, "float") == 0)
				s->bits = 32;
			else
				cli_bad("--bits must be 16, 24 or float, not "
				    "'%s'", optarg);
			break;
		case OPT_CHANNEL:
			s->channel = (int)cli_strtonum(optarg, 1, 256, &errstr);
			if (errstr != NULL)
				cli_bad("--channel is %s: '%s'", errstr,
				    optarg);
			break;
		case OPT_CHANNELS:
			s->channels = (int)cli_strtonum(optarg, 1, 8, &errstr);
			if (errstr != NULL)
				cli_bad("--channels is %s: '%s'", errstr,
				    optarg);
			break;
		case OPT_DITHER:
			s->dither = 1;
			break;
		case OPT_ENGINE:
			if (strcmp(optarg, "soxr") == 0)
				s->engine = AUDIO_SOXR;
			else if (strcmp(optarg, "src") == 0)
				s->engine = AUDIO_SRC;
			else
				cli_bad("--engine must be soxr or src, not "
				    "'%s'", optarg);
			break;
		case OPT_FIELD:
			s->field_text = optarg;
			break;
		case OPT_FORMAT:
			if (strcmp(optarg, "wav") == 0)
				s->flac = 0;
			else if (strcmp(optarg, "flac") == 0)
				s->flac = 1;
			else
				cli_bad("--format must be wav or flac, not "
				    "'%s'", optarg);
			break;
		case OPT_LINK:
			s->link = 1;
			break;
		case OPT_MAX_DURATION:
			s->max_dur = num_opt("--max-duration", optarg, 0, 1e9);
			break;
		case OPT_MIN_DURATION:
			s->min_dur = num_opt("--min-duration", optarg, 0, 1e9);
			break;
		case OPT_NAME:
			if (*optarg == '\0')
				cli_bad("--name is empty");
			s->name = optarg;
			break;
		case OPT_NORMALIZE:
			s->normalize = 1;
			s->norm_dbfs = num_opt("--normalize", optarg, -100, 0);
			break;
		case OPT_OUT_DIR:
			s->out_dir = optarg;
			break;
		case OPT_QUALITY:
			if (strcmp(optarg, "best") == 0)
				s->quality = AUDIO_BEST;
			else if (strcmp(optarg, "medium") == 0)
				s->quality = AUDIO_MEDIUM;
			else if (strcmp(optarg, "fast") == 0)
				s->quality = AUDIO_FAST;
			else
				cli_bad("--quality must be best, medium or "
				    "fast, not '%s'", optarg);
			break;
		case OPT_RATE:
			s->rate = (int)cli_strtonum(optarg, 1000, 768000,
			    &errstr);
			if (errstr != NULL)
				cli_bad("--rate is %s: '%s'", errstr, optarg);
			break;
		case OPT_ROOT:
			s->root = optarg;
			break;
		case OPT_TRIM_SILENCE:
			s->trim = 1;
			s->trim_db = num_opt("--trim-silence", optarg, -150, 0);
			break;
		default:
			if (!filter_option(&f, ch, optarg))
				cli_usage_error(USAGE);
		}
	}
	argc -= optind;
	argv += optind;
	if (field_parse(&s->field, s->field_text, err, sizeof(err)) < 0)
		cli_bad("--field: %s", err);
	for (i = 1; i < NOUT; i++)
		if (field_parse(&s->out_field[i], out_names[i - 1], err,
		    sizeof(err)) < 0)
			die("internal error: %s", err);
	if (s->flac && s->bits == 32)
		cli_bad("--format flac takes --bits 16 or 24, not float");
	if (s->channel > 0 && s->channels > 1)
		cli_bad("--channel picks one channel: it goes with "
		    "--channels 1");
	if (s->min_dur >= 0 && s->max_dur >= 0 && s->min_dur > s->max_dur)
		cli_bad("--min-duration is above --max-duration");
	if (s->name != NULL && s->out_dir == NULL)
		cli_bad("--name goes with --out-dir");
	s->sf_format = (s->flac ? SF_FORMAT_FLAC : SF_FORMAT_WAV) |
	    (s->bits == 16 ? SF_FORMAT_PCM_16 : s->bits == 24 ?
	    SF_FORMAT_PCM_24 : SF_FORMAT_FLOAT);
	{
		struct buf c = BUF_INIT;

		buf_addf(&c, "df-resample %s engine=%s quality=%d dither=%d "
		    "channel=%d", DF_VERSION, s->engine == AUDIO_SOXR ?
		    "soxr" : "src", (int)s->quality, s->dither, s->channel);
		if (s->trim)
			buf_addf(&c, " trim=%g", s->trim_db);
		if (s->normalize)
			buf_addf(&c, " normalize=%g", s->norm_dbfs);
		buf_adds(&c, " source=");
		s->comment = buf_detach(&c, NULL);
	}

	f.fn = resample_record;
	f.ordered = resample_ordered;
	f.worker_new = worker_new;
	f.worker_free = worker_free;
	f.start = resample_start;
	f.stats_extra = resample_stats;
	f.arg = s;
	f.one_to_one = 1;
	f.batch_lines = 1;
	i = filter_run(&f, argc, argv);
	field_release(&s->field);
	for (ch = 1; ch < NOUT; ch++)
		field_release(&s->out_field[ch]);
	map_release(&s->names);
	free(s->comment);
	return i;
}
