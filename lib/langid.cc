/*
 * The C shim over libcld2 (lib/langid.h).  Compiled by the pattern rule
 * in mk/df-judge.mk; the only C++ in the tree.
 */
#include <stdio.h>
#include <string.h>

#include <cld2/public/compact_lang_det.h>

#include "langid.h"


extern "C" void
langid_detect(const char *s, size_t len, struct langid *out)
{
	CLD2::Language lang3[3];
	int percent3[3], text_bytes = 0;
	bool reliable = false;
	CLD2::Language top;
	const char *code;
	int n = len > 0x7fffffff ? 0x7fffffff : (int)len;

	top = CLD2::DetectLanguageSummary(s, n, true, lang3, percent3,
	    &text_bytes, &reliable);
	/*
	 * With nothing to go on CLD2 answers English at 0 %: that is no
	 * answer.
	 */
	if (lang3[0] != top || percent3[0] == 0)
		top = CLD2::UNKNOWN_LANGUAGE;
	code = CLD2::LanguageCode(top);
	if (code == NULL || top == CLD2::UNKNOWN_LANGUAGE)
		code = "un";
	strncpy(out->code, code, sizeof(out->code) - 1);
	out->code[sizeof(out->code) - 1] = '\0';
	out->score = top == CLD2::UNKNOWN_LANGUAGE ? 0.0 : percent3[0] / 100.0;
	out->reliable = reliable;
}
