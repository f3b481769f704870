/*
 * An open-addressing hash map from 128-bit keys (two hashes of the real
 * key, so collisions are not a practical concern) to 64-bit values.
 * Used where a program must remember every group or text it has seen.
 */
#ifndef DF_MAP_H
#define DF_MAP_H

#include <stddef.h>
#include <stdint.h>

struct map_slot {
	uint64_t k0, k1;	/* k0 == 0 && k1 == 0 marks an empty slot */
	uint64_t val;
};

struct map {
	struct map_slot *slot;
	size_t cap;		/* a power of two, or 0 */
	size_t n;		/* keys stored */
	int has_zero;		/* the all-zero key lives here, not in slot[] */
	uint64_t zero_val;
};

#define MAP_INIT { NULL, 0, 0, 0, 0 }

/*
 * Find the key; returns a pointer to its value, or NULL.  The pointer is
 * valid until the next map_put.
 */
uint64_t *map_get(const struct map *m, uint64_t k0, uint64_t k1);

/*
 * Find the key, adding it with value val when missing.  Returns a pointer
 * to the stored value (valid until the next map_put) and sets *added.
 */
uint64_t *map_put(struct map *m, uint64_t k0, uint64_t k1, uint64_t val,
    int *added);

void map_release(struct map *m);

#endif
