# df-fetch: what it links.
LIBS_df-fetch = -ljq -lm -lpthread $(ICU_LIBS) $(shell pkg-config --libs libcurl 2>/dev/null || echo -lcurl)
DEBS += libcurl4-openssl-dev python3
