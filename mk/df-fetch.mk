# df-fetch: what it links.
LIBS_df-fetch = -ljq -lm -lpthread $(ICU_LIBS) \
	$(shell pkg-config --libs libcurl zlib 2>/dev/null || echo -lcurl -lz)
DEBS += libcurl4-openssl-dev zlib1g-dev python3
