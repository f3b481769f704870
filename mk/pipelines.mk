# pipelines/ and the scale-out tests: GNU parallel; bash for the
# completion test.
DEBS += parallel bash
# The speech-16k demo reads transcripts aloud and makes the recordings
# corpora arrive as (FLAC, Ogg) with sox.
DEBS += espeak-ng sox
