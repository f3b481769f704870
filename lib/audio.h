/*
 * Audio building blocks for df-resample: a streaming sample-rate
 * converter over libsoxr or libsamplerate with the engines' delay
 * handled, our own float-to-integer conversion (round to nearest, clip,
 * count, optional TPDF dither), level measures, and libsndfile virtual
 * I/O over memory.
 */
#ifndef DF_AUDIO_H
#define DF_AUDIO_H

#include <stddef.h>
#include <stdint.h>

#include <sndfile.h>

#include "buf.h"
#include "diag.h"

enum audio_engine { AUDIO_SOXR, AUDIO_SRC };
enum audio_quality { AUDIO_BEST, AUDIO_MEDIUM, AUDIO_FAST };

/* The passband edge libsoxr is tuned to, as a fraction of Nyquist. */
#define AUDIO_SOXR_PASSBAND 0.96

/* A growable array of interleaved float samples. */
struct fbuf {
	float *data;
	size_t len;		/* samples, not frames */
	size_t cap;
};

void fbuf_grow(struct fbuf *b, size_t n);
void fbuf_release(struct fbuf *b);
/* Drop the first n samples. */
void fbuf_shift(struct fbuf *b, size_t n);

/* A streaming resampler for one file. */
struct audio_rs;

/*
 * A resampler from in_rate to out_rate for ch interleaved channels.
 * Returns it, or NULL with e set.  Free with audio_rs_free.
 */
struct audio_rs *audio_rs_new(enum audio_engine eng, enum audio_quality q,
    double in_rate, double out_rate, int ch, struct df_err *e);
void audio_rs_free(struct audio_rs *rs);

/*
 * Whether rs was made for these settings; if so, make it ready for a
 * fresh signal (cheaper than a new one: the filter is kept) and return 1.
 */
int audio_rs_reuse(struct audio_rs *rs, enum audio_engine eng,
    enum audio_quality q, double in_rate, double out_rate, int ch);

/*
 * Feed n frames of in (n may be 0); with last set, flush the engine.
 * Output frames are appended to out, delay-free: output frame k is the
 * signal at time k / out_rate.  Returns 0, or -1 with e set.
 */
int audio_rs_process(struct audio_rs *rs, const float *in, size_t n,
    int last, struct fbuf *out, struct df_err *e)
    __attribute__((warn_unused_result));

/* round(n * out / in), the output length for n input frames. */
uint64_t audio_out_frames(uint64_t n, double in_rate, double out_rate);

/*
 * Convert n float samples (full scale 1.0) to integers of bits (16 or
 * 24) in out, scaled by 2^(bits-1), rounded to nearest and clipped to
 * the integer range; with rng non-NULL, TPDF dither of +-1 LSB is added
 * first (*rng is the xorshift state).  A 24-bit sample is stored in the
 * top 24 bits of the int, as sf_writef_int expects.  Returns the number
 * of samples that were clipped.
 */
size_t audio_quantize(const float *x, size_t n, int bits, uint64_t *rng,
    int *out);

/* Level facts over the samples written. */
struct audio_levels {
	double peak;		/* max |x|, full scale 1.0 */
	double sumsq;
	uint64_t n;		/* samples */
	uint64_t rails;		/* samples at or beyond full scale */
	double fsum;		/* current silence frame: sum of squares */
	size_t ffill, flen;	/* its fill and length (samples) */
	uint64_t frames, silent;
	double silence_thr;	/* mean square under which a frame is silent */
};

/*
 * Start measuring: frames of flen samples (20 ms of all channels) are
 * silent when their RMS is below silence_dbfs.
 */
void audio_levels_init(struct audio_levels *l, size_t flen,
    double silence_dbfs);
/* Add n integer samples of bits (stored as audio_quantize makes them). */
void audio_levels_add_int(struct audio_levels *l, const int *x, size_t n,
    int bits);
/* Add n float samples. */
void audio_levels_add_float(struct audio_levels *l, const float *x,
    size_t n);
/*
 * Append the level members to b: "peak_dbfs":..,"rms_dbfs":..,
 * "clipped_ratio":..,"silence_ratio":.. (dBFS null for digital silence).
 */
void audio_levels_json(struct audio_levels *l, struct buf *b);

/* Memory as a libsndfile virtual file, readable and writable. */
struct audio_mem {
	struct buf b;
	const unsigned char *ro;	/* read-only data, or NULL: use b */
	size_t rolen;
	sf_count_t pos;
};

extern SF_VIRTUAL_IO audio_mem_io;

/* Decode standard or URL-safe base64 (whitespace skipped).  0 or -1. */
int audio_base64_decode(const char *s, size_t len, struct buf *out)
    __attribute__((warn_unused_result));
/* Append the base64 of p[0..n) to b. */
void audio_base64_encode(struct buf *b, const unsigned char *p, size_t n);

/* Short names: "wav", "flac", "ogg", "mp3", ...; "pcm16", "vorbis", ... */
const char *audio_major_name(int format);
const char *audio_subtype_name(int format);

#endif
