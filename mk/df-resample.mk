# df-resample: what it links, builds, tests and benchmarks with.
LIBS_df-resample = -ljq -lm $(ICU_LIBS) \
	$(shell pkg-config --libs sndfile samplerate soxr 2>/dev/null)
LIBS_unit += $(shell pkg-config --libs sndfile samplerate soxr 2>/dev/null)
# The CLI tests make their fixtures with sox (MP3 through libsox-fmt-mp3)
# and lame (an MP3 with a gapless tag).
DEBS += libsndfile1-dev libsamplerate0-dev libsoxr-dev sox libsox-fmt-mp3 \
	lame
BENCH_DEBS += python3-scipy python3-numpy sox libsox-fmt-mp3 espeak-ng \
	lame time
