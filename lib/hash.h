/*
 * Hashes: SipHash-2-4 for seeded, well-distributed 64-bit keys (split
 * assignment, MinHash seeds), and SHA-256 for file digests in manifests.
 */
#ifndef DF_HASH_H
#define DF_HASH_H

#include <stddef.h>
#include <stdint.h>

/*
 * SipHash-2-4 of p[0..len) under the 128-bit key k0 (low 64 bits) and k1
 * (high 64 bits), exactly as the reference implementation with the key
 * bytes taken little-endian.
 */
uint64_t hash_siphash(uint64_t k0, uint64_t k1, const void *p, size_t len);

/* A SHA-256 computation in progress. */
struct sha256 {
	uint32_t h[8];
	uint64_t nbytes;
	unsigned char block[64];
	size_t fill;
};

void sha256_init(struct sha256 *c);
void sha256_update(struct sha256 *c, const void *p, size_t len);
/* Finish and write the 32-byte digest. */
void sha256_final(struct sha256 *c, unsigned char out[32]);
/* Finish and write the digest as 64 lowercase hex digits and a NUL. */
void sha256_final_hex(struct sha256 *c, char out[65]);

#endif
