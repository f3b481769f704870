/*
 * Language identification for df-judge: a C interface to Debian's
 * libcld2 (Compact Language Detector 2, C++), which is fast, needs no
 * model files at run time and knows some 80 languages, Malayalam among
 * them.  It is thread-safe: its tables are read-only.
 */
#ifndef DF_LANGID_H
#define DF_LANGID_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What the detector says about a text. */
struct langid {
	char code[16];		/* ISO 639-1 where there is one ("en", "ml"),
				   "un" when unknown */
	double score;		/* share of the text in that language, 0..1 */
	int reliable;		/* the detector's own reliability flag */
};

/*
 * Detect the language of the UTF-8 text s[0..len) (which must be valid
 * UTF-8).  Fills *out; never fails.
 */
void langid_detect(const char *s, size_t len, struct langid *out);

#ifdef __cplusplus
}
#endif

#endif
