/*
 * Where a program finds the data files installed with it (tokenizer
 * ranks, prompt templates, word lists): data/ of the source tree is
 * installed as $(DATADIR).  The first directory that holds the file wins:
 *
 *   1. $DF_DATADIR, when set (an explicit choice: only this one is tried);
 *   2. ../data beside the executable's directory (an uninstalled build:
 *      bin/df-chunk finds data/ of its own tree);
 *   3. the DATADIR compiled in (make install's place).
 */
#ifndef DF_DATADIR_H
#define DF_DATADIR_H

#include "diag.h"

/*
 * Return a malloc'ed path to the existing data file REL (e.g.
 * "tokens/cl100k_base.tiktoken"), or NULL with err set (reason
 * "no-data-file") naming every place tried.
 */
char *df_data_path(const char *rel, struct df_err *err);

#endif
