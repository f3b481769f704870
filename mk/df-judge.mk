# df-judge: what it links.  lib/langid.cc is the one C++ file: a shim
# over Debian's libcld2 (language identification), built by the pattern
# rule below and linked beside libdf.a.
LIBS_df-judge = $(OUT)/lib/langid.o -ljq -lm $(ICU_LIBS) -lhyphen -lcld2 \
	$(CURL_LIBS) \
	-lstdc++
LIBS_unit += $(OUT)/lib/langid.o -lhyphen -lcld2 -lstdc++
DEBS += libhyphen-dev hyphen-en-us libcld2-dev g++

CURL_LIBS ?= $(shell pkg-config --libs libcurl 2>/dev/null || echo -lcurl)
CXX ?= c++
$(OUT)/lib/%.o: lib/%.cc
	@mkdir -p $(@D)
	$(CXX) -std=c++11 $(filter-out -std=% -Wstrict-prototypes \
	    -Wold-style-definition -Wmissing-prototypes,$(ALL_CFLAGS)) \
	    -MMD -MP -c -o $@ $<
$(BIN)/df-judge $(OUT)/check_unit: $(OUT)/lib/langid.o
-include $(OUT)/lib/langid.d
BENCH_DEBS += python3-pyphen bc time
