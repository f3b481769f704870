/*
 * SipHash-2-4 and SHA-256 (hash.h).
 *
 * SipHash follows the reference implementation by Aumasson and Bernstein:
 * the message is read in little-endian 64-bit words and the last word
 * carries the length in its top byte.  SHA-256 follows FIPS 180-4.  Both
 * load bytes one at a time, so neither depends on alignment or on the
 * byte order of the host.
 */
#include <stdint.h>
#include <string.h>

#include "hash.h"

#define ROTL64(x, b)	(((x) << (b)) | ((x) >> (64 - (b))))
#define ROTR32(x, b)	(((x) >> (b)) | ((x) << (32 - (b))))

#define SIPROUND(v0, v1, v2, v3) do {					\
	(v0) += (v1);							\
	(v1) = ROTL64((v1), 13);					\
	(v1) ^= (v0);							\
	(v0) = ROTL64((v0), 32);					\
	(v2) += (v3);							\
	(v3) = ROTL64((v3), 16);					\
	(v3) ^= (v2);							\
	(v0) += (v3);							\
	(v3) = ROTL64((v3), 21);					\
	(v3) ^= (v0);							\
	(v2) += (v1);							\
	(v1) = ROTL64((v1), 17);					\
	(v1) ^= (v2);							\
	(v2) = ROTL64((v2), 32);					\
} while (0)

static uint64_t
load64_le(const unsigned char *p)
{
	return (uint64_t)p[0] | (uint64_t)p[1] << 8 |
	    (uint64_t)p[2] << 16 | (uint64_t)p[3] << 24 |
	    (uint64_t)p[4] << 32 | (uint64_t)p[5] << 40 |
	    (uint64_t)p[6] << 48 | (uint64_t)p[7] << 56;
}

uint64_t
hash_siphash(uint64_t k0, uint64_t k1, const void *p, size_t len)
{
	const unsigned char *in = p;
	uint64_t v0 = UINT64_C(0x736f6d6570736575) ^ k0;
	uint64_t v1 = UINT64_C(0x646f72616e646f6d) ^ k1;
	uint64_t v2 = UINT64_C(0x6c7967656e657261) ^ k0;
	uint64_t v3 = UINT64_C(0x7465646279746573) ^ k1;
	uint64_t m, b = (uint64_t)len << 56;
	size_t i, left = len & 7, full = len - left;

	for (i = 0; i < full; i += 8) {
		m = load64_le(in + i);
		v3 ^= m;
		SIPROUND(v0, v1, v2, v3);
		SIPROUND(v0, v1, v2, v3);
		v0 ^= m;
	}

	/* The last 0 to 7 bytes, below the length byte. */
	while (left > 0) {
		left--;
		b |= (uint64_t)in[full + left] << (8 * left);
	}
	v3 ^= b;
	SIPROUND(v0, v1, v2, v3);
	SIPROUND(v0, v1, v2, v3);
	v0 ^= b;

	v2 ^= 0xff;
	SIPROUND(v0, v1, v2, v3);
	SIPROUND(v0, v1, v2, v3);
	SIPROUND(v0, v1, v2, v3);
	SIPROUND(v0, v1, v2, v3);
	return v0 ^ v1 ^ v2 ^ v3;
}

/* The round constants of FIPS 180-4, 4.2.2. */
static const uint32_t sha256_k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5,
	0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc,
	0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
	0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3,
	0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5,
	0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
};

/* Process one 64-byte block. */
static void
sha256_block(struct sha256 *c, const unsigned char *p)
{
	uint32_t w[64], a, b, cc, d, e, f, g, h, s0, s1, t1, t2;
	int i;

	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		    (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
	for (i = 16; i < 64; i++) {
		s0 = ROTR32(w[i - 15], 7) ^ ROTR32(w[i - 15], 18) ^
		    (w[i - 15] >> 3);
		s1 = ROTR32(w[i - 2], 17) ^ ROTR32(w[i - 2], 19) ^
		    (w[i - 2] >> 10);
		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}

	a = c->h[0];
	b = c->h[1];
	cc = c->h[2];
	d = c->h[3];
	e = c->h[4];
	f = c->h[5];
	g = c->h[6];
	h = c->h[7];
	for (i = 0; i < 64; i++) {
		s1 = ROTR32(e, 6) ^ ROTR32(e, 11) ^ ROTR32(e, 25);
		t1 = h + s1 + ((e & f) ^ (~e & g)) + sha256_k[i] + w[i];
		s0 = ROTR32(a, 2) ^ ROTR32(a, 13) ^ ROTR32(a, 22);
		t2 = s0 + ((a & b) ^ (a & cc) ^ (b & cc));
		h = g;
		g = f;
		f = e;
		e = d + t1;
		d = cc;
		cc = b;
		b = a;
		a = t1 + t2;
	}
	c->h[0] += a;
	c->h[1] += b;
	c->h[2] += cc;
	c->h[3] += d;
	c->h[4] += e;
	c->h[5] += f;
	c->h[6] += g;
	c->h[7] += h;
}

void
sha256_init(struct sha256 *c)
{
	/* The initial hash value of FIPS 180-4, 5.3.3. */
	c->h[0] = 0x6a09e667;
	c->h[1] = 0xbb67ae85;
	c->h[2] = 0x3c6ef372;
	c->h[3] = 0xa54ff53a;
	c->h[4] = 0x510e527f;
	c->h[5] = 0x9b05688c;
	c->h[6] = 0x1f83d9ab;
	c->h[7] = 0x5be0cd19;
	c->nbytes = 0;
	c->fill = 0;
}

void
sha256_update(struct sha256 *c, const void *p, size_t len)
{
	const unsigned char *in = p;
	size_t n;

	if (len == 0)
		return;
	c->nbytes += len;
	if (c->fill > 0) {
		n = 64 - c->fill;
		if (n > len)
			n = len;
		memcpy(c->block + c->fill, in, n);
		c->fill += n;
		in += n;
		len -= n;
		if (c->fill < 64)
			return;
		sha256_block(c, c->block);
		c->fill = 0;
	}
	for (; len >= 64; in += 64, len -= 64)
		sha256_block(c, in);
	if (len > 0) {
		memcpy(c->block, in, len);
		c->fill = len;
	}
}

void
sha256_final(struct sha256 *c, unsigned char out[32])
{
	uint64_t bits = c->nbytes * 8;
	int i;

	/* Pad with 0x80, zeros, and the bit length big-endian (5.1.1). */
	c->block[c->fill++] = 0x80;
	if (c->fill > 56) {
		memset(c->block + c->fill, 0, 64 - c->fill);
		sha256_block(c, c->block);
		c->fill = 0;
	}
	memset(c->block + c->fill, 0, 56 - c->fill);
	for (i = 0; i < 8; i++)
		c->block[56 + i] = (unsigned char)(bits >> (56 - 8 * i));
	sha256_block(c, c->block);

	for (i = 0; i < 8; i++) {
		out[4 * i] = (unsigned char)(c->h[i] >> 24);
		out[4 * i + 1] = (unsigned char)(c->h[i] >> 16);
		out[4 * i + 2] = (unsigned char)(c->h[i] >> 8);
		out[4 * i + 3] = (unsigned char)c->h[i];
	}
	memset(c, 0, sizeof(*c));
}

void
sha256_final_hex(struct sha256 *c, char out[65])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char d[32];
	int i;

	sha256_final(c, d);
	for (i = 0; i < 32; i++) {
		out[2 * i] = hex[d[i] >> 4];
		out[2 * i + 1] = hex[d[i] & 0x0f];
	}
	out[64] = '\0';
}
