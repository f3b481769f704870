# df-split: what it links.
LIBS_df-split = -ljq -lm $(ICU_LIBS)
