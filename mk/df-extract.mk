# df-extract: libxml2's HTML parser, ICU (charsets, normalisation), libjq.
XML_CFLAGS := $(shell pkg-config --cflags libxml-2.0 2>/dev/null)
XML_LIBS := $(shell pkg-config --libs libxml-2.0 2>/dev/null)
LIBS_df-extract = -ljq -lm $(XML_LIBS) $(ICU_LIBS)
$(OUT)/cmd/df-extract.o $(OUT)/lib/extract.o $(OUT)/lib/extract_meta.o \
    $(OUT)/lib/extract_charset.o: ALL_CFLAGS += $(XML_CFLAGS)
$(OUT)/tests/unit/check_extract.o: ALL_CFLAGS += $(XML_CFLAGS)
LIBS_unit += $(XML_LIBS)
DEBS += libxml2-dev libicu-dev
BENCH_DEBS += python3-readability python3-lxml
