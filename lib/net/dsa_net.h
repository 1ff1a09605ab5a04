/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef DSA_NET_H
#define DSA_NET_H

/*
 * Network primitives shared by every module: one dual-stack address type,
 * prefixes, text conversion, and the IP header views the data path uses.
 *
 * Thread safety: every function here is pure (no global state) and may be
 * called from any lcore, including the pipelines.
 */

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <assert.h>

#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_ip.h>

/* One type for both families, so no caller needs two code paths. */
struct dsa_addr {
	uint8_t af; /* AF_INET, AF_INET6, or 0 when unset */
	uint8_t pad[3];
	union {
		rte_be32_t v4; /* network order */
		uint8_t v6[16];
	};
} __rte_packed;
static_assert(sizeof(struct dsa_addr) == 20, "dsa_addr layout");

struct dsa_prefix {
	struct dsa_addr addr;
	uint8_t len;
};

#define DSA_ADDR_STRLEN   46 /* INET6_ADDRSTRLEN */
#define DSA_PREFIX_STRLEN (DSA_ADDR_STRLEN + 4)

/* Parse "192.0.2.1" or "2001:db8::1". Returns 0 or -EINVAL. */
int dsa_addr_parse(const char *s, struct dsa_addr *a);
/* Parse "2001:db8::/64" or "10.0.0.0/8"; a bare address is a host prefix.
 * Host bits beyond len must be zero. Returns 0 or -EINVAL. */
int dsa_prefix_parse(const char *s, struct dsa_prefix *p);
/* Format into buf (at least DSA_ADDR_STRLEN bytes); returns buf. */
const char *dsa_addr_fmt(const struct dsa_addr *a, char *buf, size_t len);
const char *dsa_prefix_fmt(const struct dsa_prefix *p, char *buf, size_t len);
/* Parse "02:00:00:00:00:01". Returns 0 or -EINVAL. */
int dsa_mac_parse(const char *s, struct rte_ether_addr *mac);

static inline void
dsa_addr_v4(struct dsa_addr *a, rte_be32_t v4)
{
	memset(a, 0, sizeof(*a));
	a->af = AF_INET;
	a->v4 = v4;
}

static inline void
dsa_addr_v6(struct dsa_addr *a, const uint8_t *v6)
{
	memset(a, 0, sizeof(*a));
	a->af = AF_INET6;
	memcpy(a->v6, v6, 16);
}

static inline bool
dsa_addr_eq(const struct dsa_addr *a, const struct dsa_addr *b)
{
	if (a->af != b->af)
		return false;
	if (a->af == AF_INET)
		return a->v4 == b->v4;
	return memcmp(a->v6, b->v6, 16) == 0;
}

/* True when addr lies inside prefix p (same family). */
bool dsa_prefix_contains(const struct dsa_prefix *p, const struct dsa_addr *addr);

/* IP protocol numbers the data path switches on. */
#define DSA_PROTO_IPIP 4
#define DSA_PROTO_IPV6 41
#define DSA_PROTO_GRE  47
#define DSA_PROTO_MH   135
#define DSA_PROTO_FRAG 44

/* ECN codepoints (RFC 3168). */
#define DSA_ECN_NOT_ECT 0
#define DSA_ECN_ECT1    1
#define DSA_ECN_ECT0    2
#define DSA_ECN_CE      3

/* The 8-bit traffic class of an IPv6 header. */
static inline uint8_t
dsa_ip6_tc(const struct rte_ipv6_hdr *ip6)
{
	return (rte_be_to_cpu_32(ip6->vtc_flow) >> 20) & 0xff;
}

static inline void
dsa_ip6_set_tc(struct rte_ipv6_hdr *ip6, uint8_t tc)
{
	uint32_t v = rte_be_to_cpu_32(ip6->vtc_flow);
	v = (v & ~(0xffu << 20)) | ((uint32_t)tc << 20);
	ip6->vtc_flow = rte_cpu_to_be_32(v);
}

static inline uint32_t
dsa_ip6_flow_label(const struct rte_ipv6_hdr *ip6)
{
	return rte_be_to_cpu_32(ip6->vtc_flow) & 0xfffff;
}

/*
 * True when an IPv4 header of hlen bytes (a multiple of 4) sums to 0xffff.
 * 32-bit words into a 64-bit sum: a quarter of the adds of a 16-bit loop,
 * and the one's complement sum does not care about byte order.
 */
static inline bool
dsa_ip4_hdr_csum_ok(const void *hdr, unsigned int hlen)
{
	const uint8_t *p = hdr;
	uint64_t sum = 0;

	for (unsigned int i = 0; i < hlen; i += 4) {
		uint32_t w;

		memcpy(&w, p + i, 4);
		sum += w;
	}
	sum = (sum & 0xffffffff) + (sum >> 32);
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return sum == 0xffff;
}

/* Incremental IPv4 checksum update for a 16-bit field change (RFC 1624). */
static inline void
dsa_ip4_csum_update16(struct rte_ipv4_hdr *ip, uint16_t old_be, uint16_t new_be)
{
	uint32_t sum = (uint16_t)~ip->hdr_checksum;
	sum += (uint16_t)~old_be;
	sum += new_be;
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	ip->hdr_checksum = (uint16_t)~sum;
}

/*
 * Rewrite the IPv4 ToS byte and keep the header checksum right. The 16-bit
 * word is computed in a register and stored once: a byte store followed by
 * a word load of the same bytes would stall on store forwarding.
 */
static inline void
dsa_ip4_set_tos(struct rte_ipv4_hdr *ip, uint8_t tos)
{
	uint8_t *w = (uint8_t *)ip; /* version_ihl, type_of_service */
	uint16_t old, new;

	memcpy(&old, w, 2);
	new = rte_cpu_to_be_16((rte_be_to_cpu_16(old) & 0xff00) | tos);
	memcpy(w, &new, 2);
	dsa_ip4_csum_update16(ip, old, new);
}

/* Decrement TTL by one and patch the checksum (one word store, as above). */
static inline void
dsa_ip4_dec_ttl(struct rte_ipv4_hdr *ip)
{
	uint8_t *w = &ip->time_to_live; /* time_to_live, next_proto_id */
	uint16_t old, new;

	memcpy(&old, w, 2);
	new = rte_cpu_to_be_16(rte_be_to_cpu_16(old) - 0x0100);
	memcpy(w, &new, 2);
	dsa_ip4_csum_update16(ip, old, new);
}

#endif /* DSA_NET_H */
