# df-gen: what it links, and the LLM client's needs in the unit tests.
CURL_LIBS := $(shell pkg-config --libs libcurl 2>/dev/null || echo -lcurl)
LIBS_df-gen = -ljq -lm $(CURL_LIBS)
LIBS_unit += $(CURL_LIBS)
BENCH_DEBS += python3 curl parallel
