# df-chunk: what it links (tokenizers in lib/tok*.c need ICU's common
# library only).
LIBS_df-chunk = -ljq -lm $(ICU_LIBS)

# A build outside bin/ (SAN=1: build/san/bin) finds the data files as an
# uninstalled build does, through ../data beside its bin directory.
ifneq ($(BIN),bin)
all: $(BIN)/../data
$(BIN)/../data:
	@mkdir -p $(BIN)
	ln -sfn $(abspath data) $@
endif
BENCH_DEBS += nodejs npm time
