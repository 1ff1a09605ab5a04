/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef DSA_TUNNEL_H
#define DSA_TUNNEL_H

/*
 * Header checks, encapsulation and decapsulation for the data path.
 *
 * Every function works on an mbuf whose data starts at an IP header (the
 * Ethernet header has been taken off) and checks each length before it
 * reads. They are pure per-packet functions: no shared state, safe on any
 * lcore. Failures return a DSA_DROP_* reason, never crash.
 *
 * Encapsulations (outer family = the care-of address's family):
 *   outer IPv6: 6in6, 4in6 (RFC 2473), GRE-in-IPv6 with key (RFC 5845)
 *   outer IPv4: 4in4 (RFC 2003), 6in4 (RFC 4213), GRE-in-IPv4 with key
 * Outer fields: TTL/hop limit from config; DSCP copied (uniform model); ECN
 * per RFC 6040 (normal mode copies it, compatibility mode sets Not-ECT); IPv6
 * flow label from a hash of the inner flow (RFC 6438); IPv4 DF copied from an
 * IPv4 inner packet and set for an IPv6 one (IPv6 is never fragmented on path).
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_byteorder.h>
#include <rte_gre.h>
#include <rte_hash_crc.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#include "dsa_bind.h"
#include "dsa_counters.h"
#include "dsa_net.h"

struct dsa_tun_params {
	uint8_t ttl;
	uint8_t hop_limit;
	bool ecn_compat;
};

/* What decapsulation learnt from the outer headers. */
struct dsa_outer {
	uint8_t af;  /* outer family */
	uint8_t ecn; /* outer ECN field */
	uint8_t gre; /* 1 when the payload came in GRE */
	uint8_t has_key;
	rte_be32_t key; /* GRE key, when has_key */
	union {
		rte_be32_t v4;
		uint8_t v6[16];
	} src;
};

#define DSA_GRE_C   0x8000
#define DSA_GRE_R   0x4000
#define DSA_GRE_K   0x2000
#define DSA_GRE_S   0x1000
#define DSA_GRE_VER 0x0007

/*
 * Check an IPv4 header at the start of m: version, IHL, total length,
 * checksum (unless verify_csum is false); trim link-layer padding past the
 * total length. Returns DSA_DROP_NONE or a reason; bad: the reason for a
 * version mismatch (DSA_DROP_NONE: DSA_DROP_BAD_VERSION).
 */
static inline enum dsa_drop
dsa_ip4_check_csum(struct rte_mbuf *m, enum dsa_drop bad, bool verify_csum)
{
	const struct rte_ipv4_hdr *ip;
	uint32_t plen = rte_pktmbuf_pkt_len(m);
	unsigned int hlen, tlen;

	if (rte_pktmbuf_data_len(m) < sizeof(*ip))
		return DSA_DROP_TRUNCATED;
	ip = rte_pktmbuf_mtod(m, const struct rte_ipv4_hdr *);
	if ((ip->version_ihl >> 4) != 4)
		return bad == DSA_DROP_NONE ? DSA_DROP_BAD_VERSION : bad;
	hlen = (ip->version_ihl & 0xf) * 4;
	tlen = rte_be_to_cpu_16(ip->total_length);
	if (hlen < sizeof(*ip) || hlen > rte_pktmbuf_data_len(m) || tlen < hlen || tlen > plen)
		return DSA_DROP_TRUNCATED;
	if (verify_csum && !dsa_ip4_hdr_csum_ok(ip, hlen))
		return DSA_DROP_BAD_IPV4_CSUM;
	if (plen > tlen)
		rte_pktmbuf_trim(m, plen - tlen);
	return DSA_DROP_NONE;
}

static inline enum dsa_drop
dsa_ip4_check(struct rte_mbuf *m, enum dsa_drop bad)
{
	return dsa_ip4_check_csum(m, bad, true);
}

/* The received (outer) header: trust a NIC that checked the checksum. */
static inline enum dsa_drop
dsa_ip4_check_rx(struct rte_mbuf *m)
{
	uint64_t f = m->ol_flags & RTE_MBUF_F_RX_IP_CKSUM_MASK;

	if (unlikely(f == RTE_MBUF_F_RX_IP_CKSUM_BAD))
		return DSA_DROP_BAD_IPV4_CSUM;
	return dsa_ip4_check_csum(m, DSA_DROP_NONE, f != RTE_MBUF_F_RX_IP_CKSUM_GOOD);
}

/* Same for IPv6 (no jumbograms). */
static inline enum dsa_drop
dsa_ip6_check(struct rte_mbuf *m, enum dsa_drop bad)
{
	const struct rte_ipv6_hdr *ip6;
	uint32_t plen = rte_pktmbuf_pkt_len(m);
	unsigned int tlen;

	if (rte_pktmbuf_data_len(m) < sizeof(*ip6))
		return DSA_DROP_TRUNCATED;
	ip6 = rte_pktmbuf_mtod(m, const struct rte_ipv6_hdr *);
	if ((ip6->vtc_flow & rte_cpu_to_be_32(0xf0000000)) != rte_cpu_to_be_32(0x60000000))
		return bad == DSA_DROP_NONE ? DSA_DROP_BAD_VERSION : bad;
	tlen = rte_be_to_cpu_16(ip6->payload_len) + sizeof(*ip6);
	if (tlen > plen || ip6->payload_len == 0)
		return DSA_DROP_TRUNCATED;
	if (plen > tlen)
		rte_pktmbuf_trim(m, plen - tlen);
	return DSA_DROP_NONE;
}

/*
 * Walk IPv6 extension headers (hop-by-hop, routing, destination options) from
 * the fixed header; stop at the first other header. Returns the upper-layer
 * protocol and its offset in *off, or -1 when the chain runs past the data.
 * A fragment header (44) is returned as such.
 */
static inline int
dsa_ip6_upper(const struct rte_mbuf *m, unsigned int *off)
{
	const struct rte_ipv6_hdr *ip6 = rte_pktmbuf_mtod(m, const struct rte_ipv6_hdr *);
	unsigned int o = sizeof(*ip6), dlen = rte_pktmbuf_data_len(m);
	uint8_t nh = ip6->proto;

	for (int i = 0; i < 8; i++) {
		const uint8_t *ext;

		if (nh != IPPROTO_HOPOPTS && nh != IPPROTO_ROUTING && nh != IPPROTO_DSTOPTS)
			break;
		if (o + 8 > dlen)
			return -1;
		ext = rte_pktmbuf_mtod_offset(m, const uint8_t *, o);
		nh = ext[0];
		o += (ext[1] + 1) * 8;
	}
	if (nh == IPPROTO_HOPOPTS || nh == IPPROTO_ROUTING || nh == IPPROTO_DSTOPTS || o > dlen)
		return -1;
	*off = o;
	return nh;
}

/* RFC 6438: a flow label from the inner flow, never 0. */
static inline uint32_t
dsa_flow_label(const struct rte_mbuf *m, uint8_t inner_af)
{
	uint32_t h, ports = 0;
	unsigned int off;
	int proto;

	if (inner_af == AF_INET) {
		const struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod(m, const struct rte_ipv4_hdr *);

		off = (ip->version_ihl & 0xf) * 4;
		proto = ip->next_proto_id;
		h = rte_hash_crc_8byte(((uint64_t)ip->src_addr << 32) | ip->dst_addr, proto);
		/* Fragments carry no ports; leaving them out keeps a flow on one label. */
		if ((ip->fragment_offset & rte_cpu_to_be_16(RTE_IPV4_HDR_MF_FLAG |
		                                            RTE_IPV4_HDR_OFFSET_MASK)) == 0 &&
		        (proto == IPPROTO_TCP || proto == IPPROTO_UDP || proto == IPPROTO_SCTP) &&
		        off + 4 <= rte_pktmbuf_data_len(m))
			memcpy(&ports, rte_pktmbuf_mtod_offset(m, const void *, off), 4);
	} else {
		const struct rte_ipv6_hdr *ip6 = rte_pktmbuf_mtod(m, const struct rte_ipv6_hdr *);
		uint32_t fl = dsa_ip6_flow_label(ip6);

		h = rte_hash_crc(ip6->src_addr, 32, fl);
		proto = dsa_ip6_upper(m, &off);
		if (fl == 0 &&
		        (proto == IPPROTO_TCP || proto == IPPROTO_UDP || proto == IPPROTO_SCTP) &&
		        off + 4 <= rte_pktmbuf_data_len(m))
			memcpy(&ports, rte_pktmbuf_mtod_offset(m, const void *, off), 4);
		h = rte_hash_crc_4byte(proto, h);
	}
	h = rte_hash_crc_4byte(ports, h);
	h = (h ^ (h >> 20)) & 0xfffff;
	return h == 0 ? 1 : h;
}

/* The inner packet's DS field (DSCP + ECN). */
static inline uint8_t
dsa_inner_tos(const struct rte_mbuf *m, uint8_t inner_af)
{
	if (inner_af == AF_INET)
		return rte_pktmbuf_mtod(m, const struct rte_ipv4_hdr *)->type_of_service;
	return dsa_ip6_tc(rte_pktmbuf_mtod(m, const struct rte_ipv6_hdr *));
}

/*
 * Prepend the outer header (and GRE) for binding f. m's data starts at the
 * inner IP header. ip_id: the lcore's IPv4 identification counter.
 * Returns DSA_DROP_NONE or DSA_DROP_NO_HEADROOM.
 */
static inline enum dsa_drop
dsa_encap(struct rte_mbuf *m, const struct dsa_fwd *f, uint8_t inner_af,
        const struct dsa_tun_params *p, uint16_t *ip_id)
{
	uint32_t inner_len = rte_pktmbuf_pkt_len(m);
	uint8_t tos = dsa_inner_tos(m, inner_af);
	uint8_t inner_proto = inner_af == AF_INET ? DSA_PROTO_IPIP : DSA_PROTO_IPV6;
	bool gre = f->flags & DSA_FWD_GRE;
	unsigned int gre_len = gre ? 8 : 0;
	uint8_t *gre_hdr;

	if (p->ecn_compat)
		tos &= ~0x3;

	if (f->outer_af == AF_INET6) {
		struct rte_ipv6_hdr *o;
		uint32_t fl = dsa_flow_label(m, inner_af);

		o = (struct rte_ipv6_hdr *)rte_pktmbuf_prepend(m, sizeof(*o) + gre_len);
		if (unlikely(o == NULL))
			return DSA_DROP_NO_HEADROOM;
		o->vtc_flow = rte_cpu_to_be_32((6u << 28) | ((uint32_t)tos << 20) | fl);
		o->payload_len = rte_cpu_to_be_16(inner_len + gre_len);
		o->proto = gre ? DSA_PROTO_GRE : inner_proto;
		o->hop_limits = p->hop_limit;
		memcpy(o->src_addr, f->outer.v6.src, 16);
		memcpy(o->dst_addr, f->outer.v6.dst, 16);
		gre_hdr = (uint8_t *)(o + 1);
	} else {
		struct rte_ipv4_hdr *o;
		rte_be16_t df = rte_cpu_to_be_16(RTE_IPV4_HDR_DF_FLAG);

		if (inner_af == AF_INET)
			df &= rte_pktmbuf_mtod(m, const struct rte_ipv4_hdr *)->fragment_offset;
		o = (struct rte_ipv4_hdr *)rte_pktmbuf_prepend(m, sizeof(*o) + gre_len);
		if (unlikely(o == NULL))
			return DSA_DROP_NO_HEADROOM;
		uint16_t tlen = sizeof(*o) + gre_len + inner_len, id = (*ip_id)++;
		uint16_t ttl_proto = ((uint16_t)p->ttl << 8) | (gre ? DSA_PROTO_GRE : inner_proto);
		uint32_t src = rte_be_to_cpu_32(f->outer.v4.src);
		uint32_t dst = rte_be_to_cpu_32(f->outer.v4.dst);
		/* The checksum comes from the values in registers: reading the
		 * header back right after its byte stores stalls on store
		 * forwarding. */
		uint32_t sum = (0x4500u | tos) + tlen + id + rte_be_to_cpu_16(df) + ttl_proto +
		               (src >> 16) + (src & 0xffff) + (dst >> 16) + (dst & 0xffff);

		sum = (sum & 0xffff) + (sum >> 16);
		sum = (sum & 0xffff) + (sum >> 16);
		o->version_ihl = 0x45;
		o->type_of_service = tos;
		o->total_length = rte_cpu_to_be_16(tlen);
		o->packet_id = rte_cpu_to_be_16(id);
		o->fragment_offset = df;
		o->time_to_live = p->ttl;
		o->next_proto_id = ttl_proto & 0xff;
		o->hdr_checksum = rte_cpu_to_be_16((uint16_t)~sum);
		o->src_addr = f->outer.v4.src;
		o->dst_addr = f->outer.v4.dst;
		gre_hdr = (uint8_t *)(o + 1);
	}
	if (gre) {
		rte_be16_t *g = (rte_be16_t *)gre_hdr;

		g[0] = rte_cpu_to_be_16(DSA_GRE_K);
		g[1] = rte_cpu_to_be_16(
		        inner_af == AF_INET ? RTE_ETHER_TYPE_IPV4 : RTE_ETHER_TYPE_IPV6);
		*(rte_be32_t *)(g + 2) = f->gre_key;
	}
	return DSA_DROP_NONE;
}

/* The counter an encapsulation bumps. */
static inline enum dsa_counter
dsa_encap_counter(const struct dsa_fwd *f, uint8_t inner_af)
{
	if (f->flags & DSA_FWD_GRE)
		return f->outer_af == AF_INET6 ? DSA_CNT_ENCAP_GRE6 : DSA_CNT_ENCAP_GRE4;
	if (f->outer_af == AF_INET6)
		return inner_af == AF_INET6 ? DSA_CNT_ENCAP_6IN6 : DSA_CNT_ENCAP_4IN6;
	return inner_af == AF_INET6 ? DSA_CNT_ENCAP_6IN4 : DSA_CNT_ENCAP_4IN4;
}

static inline enum dsa_counter
dsa_decap_counter(const struct dsa_outer *o, uint8_t inner_af)
{
	if (o->gre)
		return o->af == AF_INET6 ? DSA_CNT_DECAP_GRE6 : DSA_CNT_DECAP_GRE4;
	if (o->af == AF_INET6)
		return inner_af == AF_INET6 ? DSA_CNT_DECAP_6IN6 : DSA_CNT_DECAP_4IN6;
	return inner_af == AF_INET6 ? DSA_CNT_DECAP_6IN4 : DSA_CNT_DECAP_4IN4;
}

/*
 * Strip a GRE header at offset off (RFC 2784/2890, version 0, no routing).
 * Returns the inner family, or 0 with *why set.
 */
static inline uint8_t
dsa_gre_parse(const struct rte_mbuf *m, unsigned int *off, struct dsa_outer *o, enum dsa_drop *why)
{
	unsigned int len = 4;
	uint16_t flags, proto;
	const rte_be16_t *g;

	if (*off + 4 > rte_pktmbuf_data_len(m))
		goto truncated;
	g = rte_pktmbuf_mtod_offset(m, const rte_be16_t *, *off);
	flags = rte_be_to_cpu_16(g[0]);
	proto = rte_be_to_cpu_16(g[1]);
	if (flags & (DSA_GRE_R | DSA_GRE_VER)) {
		*why = DSA_DROP_BAD_GRE;
		return 0;
	}
	if (flags & DSA_GRE_C)
		len += 4;
	if (flags & DSA_GRE_K) {
		if (*off + len + 4 > rte_pktmbuf_data_len(m))
			goto truncated;
		o->has_key = 1;
		o->key = *rte_pktmbuf_mtod_offset(m, const rte_be32_t *, *off + len);
		len += 4;
	}
	if (flags & DSA_GRE_S)
		len += 4;
	if (*off + len > rte_pktmbuf_data_len(m))
		goto truncated;
	o->gre = 1;
	*off += len;
	if (proto == RTE_ETHER_TYPE_IPV4)
		return AF_INET;
	if (proto == RTE_ETHER_TYPE_IPV6)
		return AF_INET6;
	*why = DSA_DROP_BAD_GRE;
	return 0;
truncated:
	*why = DSA_DROP_TRUNCATED;
	return 0;
}

/*
 * Take the outer header (already checked with dsa_ip4_check or
 * dsa_ip6_check, and addressed to us) off m, recording what the binding
 * check needs in o. Returns the inner family, or 0 with *why set. The inner
 * header is checked too.
 */
static inline uint8_t
dsa_decap(struct rte_mbuf *m, struct dsa_outer *o, enum dsa_drop *why)
{
	unsigned int off;
	uint8_t inner_af;
	int proto;

	memset(o, 0, sizeof(*o));
	if ((rte_pktmbuf_mtod(m, const uint8_t *)[0] >> 4) == 4) {
		const struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod(m, const struct rte_ipv4_hdr *);

		o->af = AF_INET;
		o->ecn = ip->type_of_service & 0x3;
		o->src.v4 = ip->src_addr;
		off = (ip->version_ihl & 0xf) * 4;
		proto = ip->next_proto_id;
	} else {
		const struct rte_ipv6_hdr *ip6 = rte_pktmbuf_mtod(m, const struct rte_ipv6_hdr *);

		o->af = AF_INET6;
		o->ecn = dsa_ip6_tc(ip6) & 0x3;
		memcpy(o->src.v6, ip6->src_addr, 16);
		proto = dsa_ip6_upper(m, &off);
		if (proto < 0) {
			*why = DSA_DROP_TRUNCATED;
			return 0;
		}
	}
	switch (proto) {
	case DSA_PROTO_IPIP:
		inner_af = AF_INET;
		break;
	case DSA_PROTO_IPV6:
		inner_af = AF_INET6;
		break;
	case DSA_PROTO_GRE:
		inner_af = dsa_gre_parse(m, &off, o, why);
		if (inner_af == 0)
			return 0;
		break;
	default:
		*why = DSA_DROP_NOT_FOR_US;
		return 0;
	}
	rte_pktmbuf_adj(m, off);
	*why = inner_af == AF_INET ? dsa_ip4_check(m, DSA_DROP_BAD_INNER)
	                           : dsa_ip6_check(m, DSA_DROP_BAD_INNER);
	return *why == DSA_DROP_NONE ? inner_af : 0;
}

/*
 * RFC 6040 §4.2 decapsulation: the inner ECN field after combining it with
 * the outer one, or -1 when the packet must be dropped (outer CE, inner
 * Not-ECT).
 */
static inline int
dsa_ecn_decap(uint8_t outer, uint8_t inner)
{
	if (outer == DSA_ECN_CE)
		return inner == DSA_ECN_NOT_ECT ? -1 : DSA_ECN_CE;
	if (outer == DSA_ECN_ECT1 && inner == DSA_ECN_ECT0)
		return DSA_ECN_ECT1;
	return inner;
}

/* Apply dsa_ecn_decap to the inner header at the start of m. */
static inline enum dsa_drop
dsa_ecn_apply(struct rte_mbuf *m, uint8_t inner_af, uint8_t outer_ecn)
{
	uint8_t tos = dsa_inner_tos(m, inner_af);
	int ecn = dsa_ecn_decap(outer_ecn, tos & 0x3);

	if (ecn < 0)
		return DSA_DROP_ECN_DROP;
	if (ecn == (tos & 0x3))
		return DSA_DROP_NONE;
	tos = (tos & ~0x3) | ecn;
	if (inner_af == AF_INET)
		dsa_ip4_set_tos(rte_pktmbuf_mtod(m, struct rte_ipv4_hdr *), tos);
	else
		dsa_ip6_set_tc(rte_pktmbuf_mtod(m, struct rte_ipv6_hdr *), tos);
	return DSA_DROP_NONE;
}

/* True when the uplink packet's outer source and GRE key match binding f. */
static inline bool
dsa_outer_matches(const struct dsa_outer *o, const struct dsa_fwd *f)
{
	bool f_gre = f->flags & DSA_FWD_GRE;

	if (o->af != f->outer_af || o->gre != f_gre)
		return false;
	if (f_gre && (!o->has_key || o->key != f->gre_key_in))
		return false;
	if (o->af == AF_INET)
		return o->src.v4 == f->outer.v4.dst;
	return memcmp(o->src.v6, f->outer.v6.dst, 16) == 0;
}

/*
 * Decrement the TTL / hop limit of the IP packet at the start of m.
 * Returns false (and leaves m alone) when it would reach 0.
 */
static inline bool
dsa_ttl_dec(struct rte_mbuf *m, uint8_t af)
{
	if (af == AF_INET) {
		struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod(m, struct rte_ipv4_hdr *);

		if (ip->time_to_live <= 1)
			return false;
		dsa_ip4_dec_ttl(ip);
		return true;
	}
	struct rte_ipv6_hdr *ip6 = rte_pktmbuf_mtod(m, struct rte_ipv6_hdr *);

	if (ip6->hop_limits <= 1)
		return false;
	ip6->hop_limits--;
	return true;
}

/*
 * Turn m (data at the offending IP header) into an ICMP / ICMPv6 error sent
 * from src back to the packet's source: Destination Unreachable /
 * Fragmentation Needed (mtu), Packet Too Big (mtu), or Time Exceeded.
 * Returns 0, or -EINVAL when no error may be sent about this packet (an ICMP
 * error, a non-first fragment, a multicast or unspecified source).
 */
int dsa_icmp4_error(struct rte_mbuf *m, uint8_t type, uint8_t code, uint16_t mtu, rte_be32_t src);
int dsa_icmp6_error(
        struct rte_mbuf *m, uint8_t type, uint8_t code, uint32_t mtu, const uint8_t *src);

/*
 * Fragment the IPv4 packet m (data at its header, DF clear) so that each
 * fragment is at most mtu bytes. m is consumed. Returns the number of
 * fragments in out, or a negative errno.
 */
int dsa_ip4_fragment(struct rte_mbuf *m, uint16_t mtu, struct rte_mbuf **out, unsigned int max,
        struct rte_mempool *direct, struct rte_mempool *indirect);

/*
 * Fragment an encapsulated packet (data at the outer header) to mtu: the
 * one case where the outer header is fragmented, an IPv6 inner packet of at
 * most 1280 bytes in a tunnel whose MTU is smaller (RFC 2473 §7.1). m is
 * consumed. Returns the number of fragments in out, or a negative errno.
 */
int dsa_outer_fragment(struct rte_mbuf *m, uint16_t mtu, struct rte_mbuf **out, unsigned int max,
        struct rte_mempool *direct, struct rte_mempool *indirect);

#endif /* DSA_TUNNEL_H */
