/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdio.h>
#include <time.h>

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_hash_crc.h>
#include <rte_icmp.h>
#include <rte_lcore.h>
#include <rte_log.h>
#include <rte_malloc.h>
#include <rte_prefetch.h>

#include "dsa_pipeline.h"

RTE_LOG_REGISTER_SUFFIX(pipeline_logtype, pipeline, NOTICE);
#define LOG(level, ...) rte_log(RTE_LOG_##level, pipeline_logtype, "pipeline: " __VA_ARGS__)

#define RING_SIZE        1024
#define UPDATE_RING_SIZE 4096
#define PREFETCH_OFFSET  4
#define MAX_FRAGS        8

enum kind {
	K_DONE = 0, /* consumed: sent, punted, held or dropped */
	K_DOWN,     /* to a non-local address: binding lookup on dst */
	K_UP,       /* decapsulated: binding lookup on inner src */
};

struct pkt {
	struct rte_mbuf *m;
	uint8_t kind;
	uint8_t af; /* family of the header at the data start */
	struct dsa_outer o;
};

/* -- small helpers ------------------------------------------------------- */

static inline void
drop(struct dsa_pipeline *pl, struct rte_mbuf *m, enum dsa_drop why)
{
	pl->stats.drop[why]++;
	rte_pktmbuf_free(m);
}

static inline void
cnt(struct dsa_pipeline *pl, enum dsa_counter c)
{
	pl->stats.cnt[c]++;
}

bool
dsa_dp_is_local4(const struct dsa_dp *dp, rte_be32_t a)
{
	for (unsigned int i = 0; i < dp->n_local4; i++)
		if (dp->local4[i] == a)
			return true;
	return false;
}

bool
dsa_dp_is_local6(const struct dsa_dp *dp, const uint8_t *a)
{
	for (unsigned int i = 0; i < dp->n_local6; i++)
		if (memcmp(dp->local6[i], a, 16) == 0)
			return true;
	return false;
}

static inline bool
is_tunnel_proto(uint8_t p)
{
	return p == DSA_PROTO_IPIP || p == DSA_PROTO_IPV6 || p == DSA_PROTO_GRE;
}

static inline uint8_t
af_of(const struct rte_mbuf *m)
{
	return (rte_pktmbuf_mtod(m, const uint8_t *)[0] >> 4) == 4 ? AF_INET : AF_INET6;
}

/* Hand m to control, tagged with why. Returns false (m dropped) if the ring is full. */
static inline bool
to_control(struct dsa_pipeline *pl, struct rte_mbuf *m, uint32_t tag)
{
	m->hash.usr = tag;
	if (unlikely(rte_ring_sp_enqueue(pl->punt, m) != 0)) {
		drop(pl, m, DSA_DROP_PUNT_FULL);
		return false;
	}
	return true;
}

/*
 * Take one packet's token from tb (rate per second, burst at most). Tokens
 * are scaled by hz; a long quiet spell just refills the bucket (and keeps
 * elapsed * rate from overflowing).
 */
static inline bool
tb_take(struct dsa_tb *tb, uint32_t rate, uint32_t burst, uint64_t now)
{
	uint64_t hz = rte_get_tsc_hz(), max = (uint64_t)burst * hz;
	uint64_t elapsed = now - tb->last;

	tb->last = now;
	if (elapsed >= hz * (uint64_t)burst)
		tb->tokens = max;
	else
		tb->tokens = RTE_MIN(max, tb->tokens + elapsed * rate);
	if (tb->tokens < hz)
		return false;
	tb->tokens -= hz;
	return true;
}

/* The bucket of a for-us frame's source (IPv4, IPv6 or ARP sender). */
static inline unsigned int
punt_bucket(const struct rte_mbuf *m)
{
	const uint8_t *l3 = rte_pktmbuf_mtod_offset(m, const uint8_t *, RTE_ETHER_HDR_LEN);
	uint16_t et =
	        rte_be_to_cpu_16(rte_pktmbuf_mtod(m, const struct rte_ether_hdr *)->ether_type);
	uint32_t len = rte_pktmbuf_data_len(m);

	if (et == RTE_ETHER_TYPE_IPV6 && len >= RTE_ETHER_HDR_LEN + 24)
		return rte_hash_crc(l3 + 8, 16, 0) % DSA_PUNT_BUCKETS;
	if (et == RTE_ETHER_TYPE_IPV4 && len >= RTE_ETHER_HDR_LEN + 16)
		return rte_hash_crc(l3 + 12, 4, 0) % DSA_PUNT_BUCKETS;
	if (et == RTE_ETHER_TYPE_ARP && len >= RTE_ETHER_HDR_LEN + 18)
		return rte_hash_crc(l3 + 14, 4, 0) % DSA_PUNT_BUCKETS;
	return 0;
}

/*
 * A packet for us (ARP, ND, echo, signalling): control answers it, within
 * the rate of its source and the total rate, so that a flood from one peer
 * (or from spoofed ones) cannot crowd out the rest.
 */
static inline void
punt(struct dsa_pipeline *pl, struct rte_mbuf *m, uint32_t tag)
{
	const struct dsa_dp *dp = pl->dp;
	uint64_t now = rte_rdtsc();

	if (!tb_take(
	            &pl->punt_src_tb[punt_bucket(m)], dp->punt_src_rate, dp->punt_src_burst, now) ||
	        !tb_take(&pl->punt_tb, dp->punt_rate, dp->punt_burst, now)) {
		drop(pl, m, DSA_DROP_PUNT_RATELIMITED);
		return;
	}
	if (to_control(pl, m, tag))
		cnt(pl, DSA_CNT_PUNT);
}

/* The next hop is unresolved: control resolves it and drops the packet. */
static inline void
punt_resolve(struct dsa_pipeline *pl, struct rte_mbuf *m, uint16_t nh_idx)
{
	if (to_control(pl, m, dsa_punt_tag(DSA_PUNT_RESOLVE, nh_idx)))
		pl->stats.drop[DSA_DROP_NEIGH_PENDING]++;
}

static void
tx_error_cb(struct rte_mbuf **unsent, uint16_t count, void *userdata)
{
	struct dsa_pipeline *pl = userdata;

	pl->stats.cnt[DSA_CNT_TX] -= count;
	pl->stats.drop[DSA_DROP_TX_FULL] += count;
	rte_pktmbuf_free_bulk(unsent, count);
}

/* Add the Ethernet header for next hop nh and queue m on its port. */
static inline void
send_nh(struct dsa_pipeline *pl, struct rte_mbuf *m, uint16_t nh_idx)
{
	const struct dsa_dp *dp = pl->dp;
	const struct dsa_nh *nh = &dp->nh[nh_idx];
	uint64_t l2 = dsa_nh_l2_load(nh);
	struct rte_ether_hdr *eth;
	const struct dsa_port_info *port;

	if (unlikely(!(l2 & DSA_NH_MAC_VALID))) {
		punt_resolve(pl, m, nh_idx);
		return;
	}
	port = &dp->ports[nh->port];
	eth = (struct rte_ether_hdr *)rte_pktmbuf_prepend(m, sizeof(*eth));
	if (unlikely(eth == NULL)) {
		drop(pl, m, DSA_DROP_NO_HEADROOM);
		return;
	}
	eth->ether_type =
	        rte_cpu_to_be_16((((const uint8_t *)(eth + 1))[0] >> 4) == 4 ? RTE_ETHER_TYPE_IPV4
	                                                                     : RTE_ETHER_TYPE_IPV6);
	memcpy(&eth->dst_addr, &l2, RTE_ETHER_ADDR_LEN);
	rte_ether_addr_copy(&port->mac, &eth->src_addr);
	cnt(pl, DSA_CNT_TX);
	rte_eth_tx_buffer(port->port_id, pl->id, pl->txb[nh->port], m);
}

/* ICMP errors (RFC 4443 §2.4(f)), per lcore. */
static inline bool
icmp_allowed(struct dsa_pipeline *pl)
{
	return tb_take(&pl->icmp_tb, pl->dp->icmp_rate, pl->dp->icmp_burst, rte_rdtsc());
}

static void forward_one(struct dsa_pipeline *pl, struct rte_mbuf *m, unsigned int in_idx);

/*
 * Answer m with an ICMP error (or drop it when none may be sent) and count
 * the drop reason why either way.
 */
static void
icmp_error(struct dsa_pipeline *pl, struct rte_mbuf *m, unsigned int in_idx, enum dsa_drop why,
        uint32_t mtu)
{
	const struct dsa_dp *dp = pl->dp;
	const struct dsa_port_info *in = &dp->ports[in_idx];
	uint8_t af = af_of(m);
	int ret;

	pl->stats.drop[why]++;
	if (dp->icmp_rate == 0 || !icmp_allowed(pl)) {
		cnt(pl, DSA_CNT_ICMP_RATELIMITED);
		rte_pktmbuf_free(m);
		return;
	}
	if (af == AF_INET) {
		rte_be32_t src = in->has_v4 ? in->v4 : (dp->n_local4 ? dp->local4[0] : 0);

		if (src == 0)
			ret = -EINVAL;
		else if (why == DSA_DROP_TTL_EXCEEDED)
			ret = dsa_icmp4_error(m, 11, 0, 0, src);
		else
			ret = dsa_icmp4_error(m, 3, 4, mtu, src);
	} else {
		const uint8_t *src = in->has_v6 ? in->v6 : (dp->n_local6 ? dp->local6[0] : NULL);

		if (src == NULL)
			ret = -EINVAL;
		else if (why == DSA_DROP_TTL_EXCEEDED)
			ret = dsa_icmp6_error(m, 3, 0, 0, src);
		else
			ret = dsa_icmp6_error(m, 2, 0, mtu, src);
	}
	if (ret != 0) {
		rte_pktmbuf_free(m);
		return;
	}
	cnt(pl, DSA_CNT_ICMP_ERR);
	forward_one(pl, m, in_idx);
}

/*
 * m does not fit mtu (the room left for the inner packet). IPv6 and IPv4
 * with DF get an ICMP error; other IPv4 is fragmented and each fragment goes
 * to cb. Returns the fragments in out (0 when m was consumed).
 */
static unsigned int
too_big(struct dsa_pipeline *pl, struct rte_mbuf *m, unsigned int in_idx, uint32_t mtu,
        struct rte_mbuf **out)
{
	const struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod(m, const struct rte_ipv4_hdr *);
	int n;

	if (af_of(m) == AF_INET6) {
		icmp_error(
		        pl, m, in_idx, DSA_DROP_TOO_BIG, RTE_MAX(mtu, (uint32_t)RTE_IPV6_MIN_MTU));
		return 0;
	}
	if (ip->fragment_offset & rte_cpu_to_be_16(RTE_IPV4_HDR_DF_FLAG)) {
		icmp_error(pl, m, in_idx, DSA_DROP_TOO_BIG, mtu);
		return 0;
	}
	n = dsa_ip4_fragment(m, mtu, out, MAX_FRAGS, pl->dp->pool, pl->dp->indirect_pool);
	if (n <= 0) {
		pl->stats.drop[DSA_DROP_FRAG_FAIL]++;
		return 0;
	}
	cnt(pl, DSA_CNT_FRAG_IN);
	pl->stats.cnt[DSA_CNT_FRAG_OUT] += n;
	return n;
}

/* Send an encapsulated packet larger than the link: fragment the outer header. */
static void
send_outer_fragments(struct dsa_pipeline *pl, struct rte_mbuf *m, const struct dsa_fwd *f)
{
	struct rte_mbuf *frags[MAX_FRAGS];
	int n;

	n = dsa_outer_fragment(m, f->mtu, frags, MAX_FRAGS, pl->dp->pool, pl->dp->indirect_pool);
	if (n <= 0) {
		pl->stats.drop[DSA_DROP_FRAG_FAIL]++;
		return;
	}
	pl->stats.cnt[DSA_CNT_FRAG_OUT] += n;
	for (int i = 0; i < n; i++)
		send_nh(pl, frags[i], f->nh);
}

/* Encapsulate m (data at the inner header) toward binding f and send it. */
static inline void
encap_send(
        struct dsa_pipeline *pl, struct rte_mbuf *m, const struct dsa_fwd *f, unsigned int in_idx)
{
	uint32_t room = f->mtu - dsa_fwd_overhead(f);
	struct rte_mbuf *frags[MAX_FRAGS];
	uint8_t af = af_of(m);
	unsigned int n = 1;
	bool outer_frag = false;
	enum dsa_drop why;

	frags[0] = m;
	if (unlikely(rte_pktmbuf_pkt_len(m) > room)) {
		/* RFC 2473 §7.1: IPv6 up to the minimum MTU must get through,
		 * even when the tunnel's MTU is smaller: fragment the outer. */
		if (af == AF_INET6 && rte_pktmbuf_pkt_len(m) <= RTE_IPV6_MIN_MTU) {
			outer_frag = true;
		} else {
			n = too_big(pl, m, in_idx, room, frags);
			if (n == 0)
				return;
		}
	}
	for (unsigned int i = 0; i < n; i++) {
		why = dsa_encap(frags[i], f, af, &pl->dp->tun, &pl->ip_id);
		if (unlikely(why != DSA_DROP_NONE)) {
			drop(pl, frags[i], why);
			continue;
		}
		cnt(pl, dsa_encap_counter(f, af));
		if (unlikely(outer_frag))
			send_outer_fragments(pl, frags[i], f);
		else
			send_nh(pl, frags[i], f->nh);
	}
}

/* Send a routed (not tunnelled) packet through next hop nh_idx. */
static inline void
route_send(struct dsa_pipeline *pl, struct rte_mbuf *m, uint16_t nh_idx, unsigned int in_idx)
{
	const struct dsa_dp *dp = pl->dp;
	const struct dsa_nh *nh = &dp->nh[nh_idx];
	struct rte_mbuf *frags[MAX_FRAGS];
	const struct dsa_fwd *f;
	unsigned int n;

	switch (nh->type) {
	case DSA_NH_FWD:
		if (unlikely(rte_pktmbuf_pkt_len(m) > nh->mtu)) {
			n = too_big(pl, m, in_idx, nh->mtu, frags);
			for (unsigned int i = 0; i < n; i++) {
				cnt(pl, DSA_CNT_ROUTED);
				send_nh(pl, frags[i], nh_idx);
			}
			return;
		}
		cnt(pl, DSA_CNT_ROUTED);
		send_nh(pl, m, nh_idx);
		return;
	case DSA_NH_GLEAN:
		punt_resolve(pl, m, nh_idx);
		return;
	case DSA_NH_HOME:
		/* MN to MN through this anchor: back into a tunnel (hairpin). */
		if (af_of(m) == AF_INET)
			f = dsa_bind_lookup4(
			        dp->bt, rte_pktmbuf_mtod(m, struct rte_ipv4_hdr *)->dst_addr);
		else
			f = dsa_bind_lookup6(
			        dp->bt, rte_pktmbuf_mtod(m, struct rte_ipv6_hdr *)->dst_addr);
		if (f == NULL) {
			drop(pl, m, DSA_DROP_UNKNOWN_HOA);
			return;
		}
		cnt(pl, DSA_CNT_HAIRPIN);
		encap_send(pl, m, f, in_idx);
		return;
	case DSA_NH_BLACKHOLE:
		drop(pl, m, DSA_DROP_BLACKHOLE);
		return;
	default:
		drop(pl, m, DSA_DROP_NO_ROUTE);
	}
}

/* The slow path for one packet this lcore made (an ICMP error). */
static void
forward_one(struct dsa_pipeline *pl, struct rte_mbuf *m, unsigned int in_idx)
{
	const struct dsa_dp *dp = pl->dp;
	struct dsa_addr dst;
	const struct dsa_fwd *f;

	if (af_of(m) == AF_INET) {
		dsa_addr_v4(&dst, rte_pktmbuf_mtod(m, struct rte_ipv4_hdr *)->dst_addr);
		f = dsa_bind_lookup4(dp->bt, dst.v4);
	} else {
		dsa_addr_v6(&dst, rte_pktmbuf_mtod(m, struct rte_ipv6_hdr *)->dst_addr);
		f = dsa_bind_lookup6(dp->bt, dst.v6);
	}
	if (f != NULL) {
		encap_send(pl, m, f, in_idx);
		return;
	}
	route_send(pl, m, dsa_route_lookup(dp->rt, &dst), in_idx);
}

/* -- classification ------------------------------------------------------- */

/* After a reassembly attempt: false when the fragment was held. */
static inline bool
reassembled(struct dsa_pipeline *pl, struct pkt *p, struct rte_mbuf *m)
{
	if (m == NULL) {
		cnt(pl, DSA_CNT_REASM_HELD);
		return false;
	}
	cnt(pl, DSA_CNT_REASM_DONE);
	/* Decapsulation reads the outer and inner headers from the first segment. */
	if (rte_pktmbuf_data_len(m) < 128 && !rte_pktmbuf_is_contiguous(m))
		rte_pktmbuf_linearize(m);
	p->m = m;
	return true;
}

/* An IPv4 packet addressed to us: decapsulate or punt. */
static inline void
local4(struct dsa_pipeline *pl, struct pkt *p, uint64_t now)
{
	struct rte_mbuf *m = p->m;
	struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod(m, struct rte_ipv4_hdr *);
	enum dsa_drop why;

	if (!is_tunnel_proto(ip->next_proto_id)) {
		rte_pktmbuf_prepend(m, sizeof(struct rte_ether_hdr));
		punt(pl, m, dsa_punt_tag(DSA_PUNT_LOCAL, 0));
		return;
	}
	if (rte_ipv4_frag_pkt_is_fragmented(ip)) {
		m->l2_len = 0;
		m->l3_len = (ip->version_ihl & 0xf) * 4;
		m = rte_ipv4_frag_reassemble_packet(pl->frag_tbl, &pl->dr, m, now, ip);
		if (!reassembled(pl, p, m))
			return;
	}
	p->af = dsa_decap(m, &p->o, &why);
	if (p->af == 0) {
		drop(pl, m, why);
		return;
	}
	p->kind = K_UP;
}

static inline void
local6(struct dsa_pipeline *pl, struct pkt *p, uint64_t now)
{
	struct rte_mbuf *m = p->m;
	struct rte_ipv6_hdr *ip6 = rte_pktmbuf_mtod(m, struct rte_ipv6_hdr *);
	uint8_t proto = ip6->proto;
	enum dsa_drop why;

	if (proto == DSA_PROTO_FRAG) {
		struct rte_ipv6_fragment_ext *fh;

		if (rte_pktmbuf_data_len(m) < sizeof(*ip6) + sizeof(*fh)) {
			drop(pl, m, DSA_DROP_TRUNCATED);
			return;
		}
		fh = (struct rte_ipv6_fragment_ext *)(ip6 + 1);
		if (!is_tunnel_proto(fh->next_header))
			goto to_control;
		m->l2_len = 0;
		m->l3_len = sizeof(*ip6) + sizeof(*fh);
		m = rte_ipv6_frag_reassemble_packet(pl->frag_tbl, &pl->dr, m, now, ip6, fh);
		if (!reassembled(pl, p, m))
			return;
	} else if (!is_tunnel_proto(proto) && proto != IPPROTO_HOPOPTS &&
	           proto != IPPROTO_DSTOPTS && proto != IPPROTO_ROUTING) {
		goto to_control;
	}
	p->af = dsa_decap(m, &p->o, &why);
	if (p->af == 0) {
		if (why == DSA_DROP_NOT_FOR_US)
			goto to_control;
		drop(pl, m, why);
		return;
	}
	p->kind = K_UP;
	return;
to_control:
	rte_pktmbuf_prepend(m, sizeof(struct rte_ether_hdr));
	punt(pl, m, dsa_punt_tag(DSA_PUNT_LOCAL, 0));
}

static inline bool
l2_for_us(const struct rte_ether_hdr *eth, const struct dsa_port_info *port)
{
	return rte_is_same_ether_addr(&eth->dst_addr, &port->mac) ||
	       rte_is_multicast_ether_addr(&eth->dst_addr);
}

/* Stage 1: check headers, decapsulate what is for us, punt the rest of ours. */
static inline void
classify(struct dsa_pipeline *pl, struct pkt *p, const struct dsa_port_info *port, uint64_t now)
{
	const struct dsa_dp *dp = pl->dp;
	struct rte_mbuf *m = p->m;
	struct rte_ether_hdr *eth;
	enum dsa_drop why;
	uint16_t et;

	p->kind = K_DONE;
	if (unlikely(rte_pktmbuf_data_len(m) < sizeof(*eth))) {
		drop(pl, m, DSA_DROP_TRUNCATED);
		return;
	}
	eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	if (unlikely(!l2_for_us(eth, port))) {
		drop(pl, m, DSA_DROP_MARTIAN);
		return;
	}
	et = rte_be_to_cpu_16(eth->ether_type);
	if (et == RTE_ETHER_TYPE_ARP) {
		punt(pl, m, dsa_punt_tag(DSA_PUNT_LOCAL, 0));
		return;
	}
	rte_pktmbuf_adj(m, sizeof(*eth));
	if (et == RTE_ETHER_TYPE_IPV4) {
		struct rte_ipv4_hdr *ip;
		uint32_t dst;

		why = dsa_ip4_check_rx(m);
		if (unlikely(why != DSA_DROP_NONE)) {
			drop(pl, m, why);
			return;
		}
		ip = rte_pktmbuf_mtod(m, struct rte_ipv4_hdr *);
		dst = rte_be_to_cpu_32(ip->dst_addr);
		if (dsa_dp_is_local4(dp, ip->dst_addr)) {
			local4(pl, p, now);
			return;
		}
		if (unlikely((dst >> 28) == 0xe || dst == 0xffffffff ||
		             rte_is_broadcast_ether_addr(&eth->dst_addr))) {
			rte_pktmbuf_prepend(m, sizeof(*eth));
			punt(pl, m, dsa_punt_tag(DSA_PUNT_LOCAL, 0));
			return;
		}
		p->af = AF_INET;
	} else if (et == RTE_ETHER_TYPE_IPV6) {
		struct rte_ipv6_hdr *ip6;

		why = dsa_ip6_check(m, DSA_DROP_NONE);
		if (unlikely(why != DSA_DROP_NONE)) {
			drop(pl, m, why);
			return;
		}
		ip6 = rte_pktmbuf_mtod(m, struct rte_ipv6_hdr *);
		if (dsa_dp_is_local6(dp, ip6->dst_addr)) {
			local6(pl, p, now);
			return;
		}
		if (unlikely(ip6->dst_addr[0] == 0xff)) {
			rte_pktmbuf_prepend(m, sizeof(*eth));
			punt(pl, m, dsa_punt_tag(DSA_PUNT_LOCAL, 0));
			return;
		}
		if (unlikely(ip6->dst_addr[0] == 0xfe && (ip6->dst_addr[1] & 0xc0) == 0x80)) {
			drop(pl, m, DSA_DROP_MARTIAN); /* link-local, not ours */
			return;
		}
		p->af = AF_INET6;
	} else {
		drop(pl, m, DSA_DROP_UNSUPPORTED_L2);
		return;
	}
	p->kind = K_DOWN;
}

/* -- the burst ------------------------------------------------------------ */

static inline const void *
lookup_key(const struct pkt *p)
{
	if (p->af == AF_INET) {
		const struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod(p->m, const struct rte_ipv4_hdr *);

		return p->kind == K_DOWN ? &ip->dst_addr : &ip->src_addr;
	}
	const struct rte_ipv6_hdr *ip6 = rte_pktmbuf_mtod(p->m, const struct rte_ipv6_hdr *);

	return p->kind == K_DOWN ? ip6->dst_addr : ip6->src_addr;
}

void
dsa_pipeline_burst(struct dsa_pipeline *pl, uint16_t in_port, struct rte_mbuf **pkts, uint16_t n)
{
	const struct dsa_dp *dp = pl->dp;
	unsigned int in_idx = dp->port_idx[in_port];
	const struct dsa_port_info *port = &dp->ports[in_idx];
	struct pkt p[DSA_BURST];
	const void *k4[DSA_BURST], *k6[DSA_BURST];
	const struct dsa_fwd *f4[DSA_BURST], *f6[DSA_BURST];
	uint8_t i4[DSA_BURST], i6[DSA_BURST];
	rte_be32_t r4[DSA_BURST];
	uint8_t r6[DSA_BURST][16];
	uint8_t ri4[DSA_BURST], ri6[DSA_BURST];
	uint16_t nh4[DSA_BURST], nh6[DSA_BURST];
	const struct dsa_fwd *f[DSA_BURST];
	unsigned int n4 = 0, n6 = 0, nr4 = 0, nr6 = 0;
	uint64_t now = rte_rdtsc();

	pl->stats.cnt[DSA_CNT_RX] += n;

	/* Stage 1: classify, with the next packets' headers prefetched. */
	for (unsigned int i = 0; i < RTE_MIN(n, (uint16_t)PREFETCH_OFFSET); i++)
		rte_prefetch0(rte_pktmbuf_mtod(pkts[i], void *));
	for (unsigned int i = 0; i < n; i++) {
		if (i + PREFETCH_OFFSET < n)
			rte_prefetch0(rte_pktmbuf_mtod(pkts[i + PREFETCH_OFFSET], void *));
		p[i].m = pkts[i];
		classify(pl, &p[i], port, now);
		if (p[i].kind == K_DONE)
			continue;
		if (p[i].af == AF_INET) {
			i4[n4] = i;
			k4[n4++] = lookup_key(&p[i]);
		} else {
			i6[n6] = i;
			k6[n6++] = lookup_key(&p[i]);
		}
	}

	/* Stage 2: bulk binding lookups. */
	dsa_bind_lookup4_bulk(dp->bt, k4, n4, f4);
	dsa_bind_lookup6_bulk(dp->bt, k6, n6, f6);
	for (unsigned int j = 0; j < n4; j++)
		f[i4[j]] = f4[j];
	for (unsigned int j = 0; j < n6; j++)
		f[i6[j]] = f6[j];

	/* Stage 3: tunnel what has a binding; queue the rest for routing. */
	for (unsigned int i = 0; i < n; i++) {
		struct rte_mbuf *m = p[i].m;

		if (p[i].kind == K_DONE)
			continue;
		if (p[i].kind == K_UP) {
			/* Anti-spoofing (seed 002 §4.4): the inner source must be
			 * bound to the care-of address the packet came from. */
			if (f[i] == NULL || !dsa_outer_matches(&p[i].o, f[i])) {
				drop(pl, m, DSA_DROP_SPOOFED_SRC);
				continue;
			}
			enum dsa_drop why = dsa_ecn_apply(m, p[i].af, p[i].o.ecn);
			if (unlikely(why != DSA_DROP_NONE)) {
				drop(pl, m, why);
				continue;
			}
			cnt(pl, dsa_decap_counter(&p[i].o, p[i].af));
		} else if (f[i] == NULL && p[i].af == AF_INET &&
		           is_tunnel_proto(
		                   rte_pktmbuf_mtod(m, struct rte_ipv4_hdr *)->next_proto_id)) {
			drop(pl, m, DSA_DROP_OUTER_DST_NOT_OURS);
			continue;
		} else if (f[i] == NULL && p[i].af == AF_INET6 &&
		           is_tunnel_proto(rte_pktmbuf_mtod(m, struct rte_ipv6_hdr *)->proto)) {
			drop(pl, m, DSA_DROP_OUTER_DST_NOT_OURS);
			continue;
		}
		if (unlikely(!dsa_ttl_dec(m, p[i].af))) {
			icmp_error(pl, m, in_idx, DSA_DROP_TTL_EXCEEDED, 0);
			continue;
		}
		if (p[i].kind == K_DOWN && f[i] != NULL) {
			encap_send(pl, m, f[i], in_idx);
			continue;
		}
		/* Routed: downlink without a binding, or uplink after decap. */
		if (p[i].af == AF_INET) {
			ri4[nr4] = i;
			r4[nr4++] = rte_pktmbuf_mtod(m, struct rte_ipv4_hdr *)->dst_addr;
		} else {
			ri6[nr6] = i;
			memcpy(r6[nr6++], rte_pktmbuf_mtod(m, struct rte_ipv6_hdr *)->dst_addr, 16);
		}
	}

	/* Stage 4: bulk route lookups, then send (hairpin goes back to a tunnel). */
	if (nr4 != 0) {
		dsa_route_lookup4_bulk(dp->rt, r4, nh4, nr4);
		for (unsigned int j = 0; j < nr4; j++)
			route_send(pl, p[ri4[j]].m, nh4[j], in_idx);
	}
	if (nr6 != 0) {
		dsa_route_lookup6_bulk(dp->rt, (const uint8_t(*)[16])r6, nh6, nr6);
		for (unsigned int j = 0; j < nr6; j++)
			route_send(pl, p[ri6[j]].m, nh6[j], in_idx);
	}
}

void
dsa_pipeline_flush(struct dsa_pipeline *pl)
{
	const struct dsa_dp *dp = pl->dp;

	for (unsigned int i = 0; i < dp->n_ports; i++)
		rte_eth_tx_buffer_flush(dp->ports[i].port_id, pl->id, pl->txb[i]);
}

void
dsa_pipeline_poll_updates(struct dsa_pipeline *pl)
{
	struct dsa_bind_notice nb[DSA_BURST];
	unsigned int n;
	uint64_t now;

	n = rte_ring_sc_dequeue_burst_elem(pl->update, nb, sizeof(nb[0]), DSA_BURST, NULL);
	if (n == 0)
		return;
	now = rte_rdtsc();
	for (unsigned int i = 0; i < n; i++) {
		uint64_t lat = now - nb[i].tsc;

		pl->stats.notice_lat_sum += lat;
		if (lat > pl->stats.notice_lat_max)
			pl->stats.notice_lat_max = lat;
	}
	pl->stats.cnt[DSA_CNT_NOTICES] += n;
	/* Acknowledge the newest generation seen: control reads this. */
	__atomic_store_n(&pl->stats.gen_seen, nb[n - 1].gen, __ATOMIC_RELEASE);
}

static void
poll_inject(struct dsa_pipeline *pl)
{
	const struct dsa_dp *dp = pl->dp;
	struct rte_mbuf *m[DSA_BURST];
	unsigned int n;

	n = rte_ring_sc_dequeue_burst(pl->inject, (void **)m, DSA_BURST, NULL);
	for (unsigned int i = 0; i < n; i++) {
		unsigned int idx = dp->port_idx[m[i]->port];

		if (idx >= dp->n_ports) {
			drop(pl, m[i], DSA_DROP_NO_ROUTE);
			continue;
		}
		cnt(pl, DSA_CNT_INJECT);
		cnt(pl, DSA_CNT_TX);
		rte_eth_tx_buffer(dp->ports[idx].port_id, pl->id, pl->txb[idx], m[i]);
	}
}

int
dsa_pipeline_main(void *arg)
{
	struct dsa_pipeline *pl = arg;
	const struct dsa_dp *dp = pl->dp;
	struct rte_mbuf *pkts[DSA_BURST];
	uint32_t idle = 0;

	rte_rcu_qsbr_thread_register(dp->qsv, pl->qs_thread);
	rte_rcu_qsbr_thread_online(dp->qsv, pl->qs_thread);
	LOG(INFO, "pipeline %u on lcore %u\n", pl->id, pl->lcore_id);

	while (*pl->running) {
		unsigned int got = 0;

		for (unsigned int i = 0; i < dp->n_ports; i++) {
			uint16_t n =
			        rte_eth_rx_burst(dp->ports[i].port_id, pl->id, pkts, DSA_BURST);

			if (n != 0) {
				dsa_pipeline_burst(pl, dp->ports[i].port_id, pkts, n);
				got += n;
			}
		}
		poll_inject(pl);
		dsa_pipeline_poll_updates(pl);
		dsa_pipeline_flush(pl);
		rte_ip_frag_free_death_row(&pl->dr, PREFETCH_OFFSET);
		rte_rcu_qsbr_quiescent(dp->qsv, pl->qs_thread);

		if (got != 0) {
			pl->stats.busy_polls++;
			idle = 0;
			continue;
		}
		pl->stats.idle_polls++;
		if (dp->idle_mode == DSA_IDLE_ADAPTIVE && ++idle > dp->idle_spin_polls) {
			struct timespec ts = { 0, dp->idle_sleep_us * 1000L };

			/* Asleep, this lcore holds no entry: go offline so control's
			 * grace periods never wait for the sleep to end. */
			rte_rcu_qsbr_thread_offline(dp->qsv, pl->qs_thread);
			nanosleep(&ts, NULL);
			rte_rcu_qsbr_thread_online(dp->qsv, pl->qs_thread);
		} else {
			rte_pause();
		}
	}

	/* Stopping: RX is no longer polled; send what control still injects. */
	poll_inject(pl);
	dsa_pipeline_flush(pl);
	rte_ip_frag_free_death_row(&pl->dr, 0);
	rte_rcu_qsbr_thread_offline(dp->qsv, pl->qs_thread);
	rte_rcu_qsbr_thread_unregister(dp->qsv, pl->qs_thread);
	return 0;
}

int
dsa_pipeline_init(struct dsa_pipeline *pl, const struct dsa_dp *dp, unsigned int id,
        unsigned int lcore_id, volatile bool *running)
{
	char name[RTE_RING_NAMESIZE];
	int socket = rte_lcore_to_socket_id(lcore_id);
	uint64_t frag_cycles;

	memset(pl, 0, sizeof(*pl));
	pl->dp = dp;
	pl->id = id;
	pl->qs_thread = id;
	pl->lcore_id = lcore_id;
	pl->running = running;
	/* Every bucket starts full. */
	pl->icmp_tb.last = rte_rdtsc();
	pl->icmp_tb.tokens = (uint64_t)dp->icmp_burst * rte_get_tsc_hz();
	pl->punt_tb.last = pl->icmp_tb.last;
	pl->punt_tb.tokens = (uint64_t)dp->punt_burst * rte_get_tsc_hz();
	for (unsigned int i = 0; i < DSA_PUNT_BUCKETS; i++) {
		pl->punt_src_tb[i].last = pl->icmp_tb.last;
		pl->punt_src_tb[i].tokens = (uint64_t)dp->punt_src_burst * rte_get_tsc_hz();
	}

	snprintf(name, sizeof(name), "punt%u", id);
	pl->punt = rte_ring_create(name, RING_SIZE, socket, RING_F_SP_ENQ | RING_F_SC_DEQ);
	snprintf(name, sizeof(name), "inject%u", id);
	pl->inject = rte_ring_create(name, RING_SIZE, socket, RING_F_SP_ENQ | RING_F_SC_DEQ);
	snprintf(name, sizeof(name), "update%u", id);
	pl->update = rte_ring_create_elem(name, sizeof(struct dsa_bind_notice), UPDATE_RING_SIZE,
	        socket, RING_F_SP_ENQ | RING_F_SC_DEQ);
	if (pl->punt == NULL || pl->inject == NULL || pl->update == NULL)
		goto fail;

	for (unsigned int i = 0; i < dp->n_ports; i++) {
		pl->txb[i] =
		        rte_zmalloc_socket("txb", RTE_ETH_TX_BUFFER_SIZE(DSA_BURST), 0, socket);
		if (pl->txb[i] == NULL) {
			rte_errno = ENOMEM;
			goto fail;
		}
		rte_eth_tx_buffer_init(pl->txb[i], DSA_BURST);
		rte_eth_tx_buffer_set_err_callback(pl->txb[i], tx_error_cb, pl);
	}

	frag_cycles = (rte_get_tsc_hz() + MS_PER_S - 1) / MS_PER_S * dp->frag_timeout_ms;
	pl->frag_tbl = rte_ip_frag_table_create(
	        dp->frag_entries, 16, dp->frag_entries, frag_cycles, socket);
	if (pl->frag_tbl == NULL)
		goto fail;
	return 0;

fail:
	LOG(ERR, "cannot set up pipeline %u: %s\n", id, rte_strerror(rte_errno));
	dsa_pipeline_fini(pl);
	return -rte_errno ? -rte_errno : -ENOMEM;
}

void
dsa_pipeline_fini(struct dsa_pipeline *pl)
{
	for (unsigned int i = 0; i < DSA_MAX_PORTS; i++) {
		rte_free(pl->txb[i]);
		pl->txb[i] = NULL;
	}
	if (pl->frag_tbl != NULL)
		rte_ip_frag_table_destroy(pl->frag_tbl);
	pl->frag_tbl = NULL;
	rte_ring_free(pl->punt);
	rte_ring_free(pl->inject);
	rte_ring_free(pl->update);
	pl->punt = pl->inject = pl->update = NULL;
}
