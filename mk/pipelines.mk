# pipelines/ and the scale-out tests: GNU parallel; bash for the
# completion test.
DEBS += parallel bash
