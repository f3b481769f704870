# df-dedup: what it links.
LIBS_df-dedup = -ljq -lm $(ICU_LIBS)
