/*
 * The 128-bit-keyed hash map of map.h: linear probing, grown at 50% load.
 */
#include <stdlib.h>

#include "diag.h"
#include "map.h"

static size_t
map_index(const struct map *m, uint64_t k0, uint64_t k1)
{
	size_t i = (size_t)(k0 ^ (k1 >> 7)) & (m->cap - 1);

	while (m->slot[i].k0 != k0 || m->slot[i].k1 != k1) {
		if (m->slot[i].k0 == 0 && m->slot[i].k1 == 0)
			break;
		i = (i + 1) & (m->cap - 1);
	}
	return i;
}

uint64_t *
map_get(const struct map *m, uint64_t k0, uint64_t k1)
{
	size_t i;

	if (k0 == 0 && k1 == 0)
		return m->has_zero ? (uint64_t *)&m->zero_val : NULL;
	if (m->cap == 0)
		return NULL;
	i = map_index(m, k0, k1);
	if (m->slot[i].k0 == 0 && m->slot[i].k1 == 0)
		return NULL;
	return &m->slot[i].val;
}

static void
map_grow(struct map *m)
{
	struct map_slot *old = m->slot;
	size_t oldcap = m->cap, i, j;

	m->cap = oldcap ? 2 * oldcap : 1024;
	m->slot = df_xcalloc(m->cap, sizeof(*m->slot));
	for (i = 0; i < oldcap; i++) {
		if (old[i].k0 == 0 && old[i].k1 == 0)
			continue;
		j = map_index(m, old[i].k0, old[i].k1);
		m->slot[j] = old[i];
	}
	free(old);
}

uint64_t *
map_put(struct map *m, uint64_t k0, uint64_t k1, uint64_t val, int *added)
{
	size_t i;

	if (k0 == 0 && k1 == 0) {
		*added = !m->has_zero;
		if (*added) {
			m->has_zero = 1;
			m->zero_val = val;
			m->n++;
		}
		return &m->zero_val;
	}
	if (2 * (m->n + 1) > m->cap)
		map_grow(m);
	i = map_index(m, k0, k1);
	*added = m->slot[i].k0 == 0 && m->slot[i].k1 == 0;
	if (*added) {
		m->slot[i].k0 = k0;
		m->slot[i].k1 = k1;
		m->slot[i].val = val;
		m->n++;
	}
	return &m->slot[i].val;
}

void
map_release(struct map *m)
{
	free(m->slot);
	m->slot = NULL;
	m->cap = m->n = 0;
	m->has_zero = 0;
	m->zero_val = 0;
}
