/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit test of lib/tunnel (dsa_tunnel.h, tunnel.c): every per-packet function
 * on hand-built mbufs, checked field by field. EAL without hugepages.
 *
 * Checksums are verified with the test's own one's-complement sum (network
 * byte order), not with the DPDK helpers the library uses.
 *
 * usage: test_tunnel
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "dsa_tunnel.h"
#include "check.h"

static struct rte_mempool *pool;  /* 2 KB data room */
static struct rte_mempool *big;   /* 10 KB data room, for fragmentation */
static struct rte_mempool *ipool; /* indirect mbufs for rte_ip_frag */

#define POOL_N 1023
#define BIG_N  63

/* Addresses. */
static const uint8_t anchor6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0x0a, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	1 };
static const uint8_t coa6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0x0c, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2 };
static const uint8_t other6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0x0c, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3 };
static const uint8_t mn6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0x10 };
static const uint8_t cn6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9 };
#define ANCHOR4 0xc0000201u /* 192.0.2.1 */
#define COA4    0xc6336402u /* 198.51.100.2 */
#define OTHER4  0xc6336403u /* 198.51.100.3 */
#define MN4     0x0a010203u /* 10.1.2.3 */
#define CN4     0xcb007109u /* 203.0.113.9 */
#define GRE_KEY 0x0a0b0c0du

/* ---------------------------------------------------------------- */
/* Checksum oracle: 16-bit big-endian one's-complement sum.          */

static uint32_t
sum16(const void *p, size_t n, uint32_t s)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		s += ((uint32_t)b[i] << 8) | b[i + 1];
	if (n & 1)
		s += (uint32_t)b[n - 1] << 8;
	return s;
}

static uint16_t
fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

/* True when a header / message with its checksum field in place sums to 0xffff. */
static bool
csum_ok(const void *p, size_t n)
{
	return fold(sum16(p, n, 0)) == 0xffff;
}

static bool
ip4_csum_ok(const void *ip)
{
	return csum_ok(ip, (((const uint8_t *)ip)[0] & 0xf) * 4);
}

/* ICMPv6 (or any upper layer) checksum with the IPv6 pseudo-header. */
static bool
icmp6_csum_ok(const uint8_t *src, const uint8_t *dst, uint8_t nh, const void *l4, uint32_t len)
{
	uint32_t s = sum16(src, 16, 0);

	s = sum16(dst, 16, s);
	s += len >> 16;
	s += len & 0xffff;
	s += nh;
	return fold(sum16(l4, len, s)) == 0xffff;
}

/* ---------------------------------------------------------------- */
/* Packet builders (into flat buffers).                              */

static void
pattern(uint8_t *p, size_t n, uint8_t seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(seed + i * 7);
}

static void
be16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

static void
be32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static uint16_t
rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* UDP header (checksum 0) and datalen bytes of pattern. */
static size_t
put_udp(uint8_t *b, uint16_t sport, uint16_t dport, size_t datalen, uint8_t seed)
{
	be16(b, sport);
	be16(b + 2, dport);
	be16(b + 4, (uint16_t)(8 + datalen));
	be16(b + 6, 0);
	pattern(b + 8, datalen, seed);
	return 8 + datalen;
}

/* ICMP / ICMPv6 message header of the given type and datalen bytes. */
static size_t
put_icmp(uint8_t *b, uint8_t type, size_t datalen)
{
	b[0] = type;
	b[1] = 0;
	be16(b + 2, 0);
	be32(b + 4, 0x00010002);
	pattern(b + 8, datalen, 0x33);
	return 8 + datalen;
}

/*
 * IPv4 header of ihl words (options: a Router Alert, then NOPs) in front of
 * plen bytes of pl; the header checksum is valid. frag is the host-order
 * flags+offset field.
 */
static size_t
put_ip4(uint8_t *b, uint8_t ihl, uint8_t tos, uint16_t frag, uint8_t ttl, uint8_t proto,
        uint32_t src, uint32_t dst, const uint8_t *pl, size_t plen)
{
	size_t hl = ihl * 4u;

	memmove(b + hl, pl, plen);
	memset(b, 0, hl);
	b[0] = 0x40 | ihl;
	b[1] = tos;
	be16(b + 2, (uint16_t)(hl + plen));
	be16(b + 4, 0x1234);
	be16(b + 6, frag);
	b[8] = ttl;
	b[9] = proto;
	be32(b + 12, src);
	be32(b + 16, dst);
	if (hl >= 24) {
		b[20] = 0x94; /* Router Alert */
		b[21] = 4;
		memset(b + 24, 1, hl - 24); /* NOP */
	}
	be16(b + 10, (uint16_t)~fold(sum16(b, hl, 0)));
	return hl + plen;
}

/* Extension header types for put_ip6; FRAG uses frag_field (offset << 3 | M). */
static uint16_t frag_field;

static size_t
ext_len(uint8_t type)
{
	return type == IPPROTO_ROUTING ? 24 : 8;
}

/*
 * IPv6 header, then n extension headers of the given types (8 bytes each,
 * a type 2 routing header 24), then plen bytes of pl with next header proto.
 */
static size_t
put_ip6(uint8_t *b, uint8_t tc, uint32_t fl, uint8_t hlim, const uint8_t *src, const uint8_t *dst,
        const uint8_t *ext, int n, uint8_t proto, const uint8_t *pl, size_t plen)
{
	size_t el = 0, o = 40;

	for (int i = 0; i < n; i++)
		el += ext_len(ext[i]);
	memmove(b + 40 + el, pl, plen);
	be32(b, 6u << 28 | (uint32_t)tc << 20 | (fl & 0xfffff));
	be16(b + 4, (uint16_t)(el + plen));
	b[6] = n > 0 ? ext[0] : proto;
	b[7] = hlim;
	memcpy(b + 8, src, 16);
	memcpy(b + 24, dst, 16);
	for (int i = 0; i < n; i++) {
		uint8_t *e = b + o;

		memset(e, 0, ext_len(ext[i]));
		e[0] = i + 1 < n ? ext[i + 1] : proto;
		switch (ext[i]) {
		case IPPROTO_ROUTING: /* type 2 routing header (RFC 6275) */
			e[1] = 2;
			e[2] = 2;
			e[3] = 1;
			memcpy(e + 8, mn6, 16);
			break;
		case IPPROTO_FRAGMENT:
			be16(e + 2, frag_field);
			be32(e + 4, 0xabcd0123);
			break;
		default: /* hop-by-hop or destination options: one PadN */
			e[1] = 0;
			e[2] = 1;
			e[3] = 4;
			break;
		}
		o += ext_len(ext[i]);
	}
	return 40 + el + plen;
}

/* GRE header with the given flags (C, K, S honoured) in front of pl. */
static size_t
put_gre(uint8_t *b, uint16_t flags, uint16_t proto, uint32_t key, const uint8_t *pl, size_t plen)
{
	size_t hl = 4;

	hl += (flags & DSA_GRE_C) ? 4 : 0;
	hl += (flags & DSA_GRE_K) ? 4 : 0;
	hl += (flags & DSA_GRE_S) ? 4 : 0;
	memmove(b + hl, pl, plen);
	be16(b, flags);
	be16(b + 2, proto);
	size_t o = 4;
	if (flags & DSA_GRE_C) {
		be32(b + o, 0xc5c50000); /* checksum + reserved1 (not verified) */
		o += 4;
	}
	if (flags & DSA_GRE_K) {
		be32(b + o, key);
		o += 4;
	}
	if (flags & DSA_GRE_S)
		be32(b + o, 0x00000077);
	return hl + plen;
}

/* An inner UDP packet of family af (total length len >= 28 / 48). */
static size_t
inner_pkt(uint8_t *b, uint8_t af, uint8_t tos, bool df, uint16_t sport, size_t len)
{
	uint8_t pl[10000];
	size_t hl = af == AF_INET ? 20 : 40;

	put_udp(pl, sport, 53, len - hl - 8, 0x41);
	if (af == AF_INET)
		return put_ip4(b, 5, tos, df ? RTE_IPV4_HDR_DF_FLAG : 0, 64, IPPROTO_UDP, MN4, CN4,
		        pl, len - hl);
	return put_ip6(b, tos, 0, 64, mn6, cn6, NULL, 0, IPPROTO_UDP, pl, len - hl);
}

/* ---------------------------------------------------------------- */
/* Mbufs.                                                            */

static struct rte_mbuf *
mk_in(struct rte_mempool *mp, const uint8_t *b, size_t len)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(mp);
	char *p;

	if (m == NULL) {
		fprintf(stderr, "mbuf pool empty\n");
		exit(2);
	}
	p = rte_pktmbuf_append(m, (uint16_t)len);
	if (p == NULL) {
		fprintf(stderr, "packet of %zu bytes does not fit an mbuf\n", len);
		exit(2);
	}
	memcpy(p, b, len);
	return m;
}

static struct rte_mbuf *
mk(const uint8_t *b, size_t len)
{
	return mk_in(pool, b, len);
}

static const uint8_t *
dat(const struct rte_mbuf *m)
{
	return rte_pktmbuf_mtod(m, const uint8_t *);
}

static struct dsa_fwd
mkfwd(uint8_t outer_af, bool gre)
{
	struct dsa_fwd f;

	memset(&f, 0, sizeof(f));
	f.outer_af = outer_af;
	f.flags = gre ? DSA_FWD_GRE : 0;
	f.mtu = 1500;
	f.gre_key = rte_cpu_to_be_32(GRE_KEY);
	f.gre_key_in = f.gre_key;
	if (outer_af == AF_INET6) {
		memcpy(f.outer.v6.src, anchor6, 16);
		memcpy(f.outer.v6.dst, coa6, 16);
	} else {
		f.outer.v4.src = rte_cpu_to_be_32(ANCHOR4);
		f.outer.v4.dst = rte_cpu_to_be_32(COA4);
	}
	f.csum = dsa_fwd_csum(&f);
	return f;
}

/* The reverse direction (care-of address -> anchor): what an uplink packet carries. */
static struct dsa_fwd
mkfwd_up(uint8_t outer_af, bool gre)
{
	struct dsa_fwd f = mkfwd(outer_af, gre);

	if (outer_af == AF_INET6) {
		memcpy(f.outer.v6.src, coa6, 16);
		memcpy(f.outer.v6.dst, anchor6, 16);
	} else {
		f.outer.v4.src = rte_cpu_to_be_32(COA4);
		f.outer.v4.dst = rte_cpu_to_be_32(ANCHOR4);
	}
	return f;
}

static const char *
afs(uint8_t af)
{
	return af == AF_INET ? "4" : "6";
}

/* ---------------------------------------------------------------- */
/* dsa_encap                                                         */

static const struct dsa_tun_params params_normal = {
	.ttl = 61, .hop_limit = 62, .ecn_compat = false
};
static const struct dsa_tun_params params_compat = {
	.ttl = 61, .hop_limit = 62, .ecn_compat = true
};

/*
 * Encapsulate the inner packet b/len with f and check every outer field and
 * that the inner bytes follow unchanged. Returns the outer flow label (IPv6),
 * or 0.
 */
static uint32_t
check_encap(const uint8_t *b, size_t len, uint8_t inner_af, const struct dsa_fwd *f,
        const struct dsa_tun_params *p)
{
	struct rte_mbuf *m = mk(b, len);
	bool gre = f->flags & DSA_FWD_GRE;
	unsigned int glen = gre ? 8 : 0, ohl = f->outer_af == AF_INET6 ? 40 : 20;
	uint8_t tos = inner_af == AF_INET ? b[1] : (uint8_t)(rd32(b) >> 20);
	uint8_t exp_tos = p->ecn_compat ? (tos & 0xfc) : tos;
	uint8_t exp_proto = gre ? 47 : inner_af == AF_INET ? 4 : 41;
	uint32_t fl_exp = dsa_flow_label(m, inner_af), label = 0;
	uint16_t id = 0xfffe, id0 = id;
	const uint8_t *d;

	CHECK_EQ(dsa_encap(m, f, inner_af, p, &id), DSA_DROP_NONE);
	CHECK_EQ(rte_pktmbuf_pkt_len(m), len + dsa_fwd_overhead(f));
	CHECK_EQ(rte_pktmbuf_data_len(m), len + ohl + glen);
	CHECK_EQ(dsa_fwd_overhead(f), ohl + glen);
	d = dat(m);
	if (f->outer_af == AF_INET6) {
		uint32_t v = rd32(d);

		CHECK_EQ(v >> 28, 6);
		CHECK_EQ((v >> 20) & 0xff, exp_tos);
		CHECK_EQ((v >> 20) & 0x3, p->ecn_compat ? DSA_ECN_NOT_ECT : (tos & 3));
		CHECK_EQ((v >> 22) & 0x3f, tos >> 2); /* DSCP copied */
		label = v & 0xfffff;
		CHECK(label != 0);
		CHECK_EQ(label, fl_exp);
		CHECK_EQ(rd16(d + 4), len + glen);
		CHECK_EQ(d[6], exp_proto);
		CHECK_EQ(d[7], p->hop_limit);
		CHECK(memcmp(d + 8, f->outer.v6.src, 16) == 0);
		CHECK(memcmp(d + 24, f->outer.v6.dst, 16) == 0);
		CHECK_EQ(id, id0); /* no IPv4 ID used */
	} else {
		bool df_exp = inner_af == AF_INET6 || (rd16(b + 6) & RTE_IPV4_HDR_DF_FLAG);

		CHECK_EQ(d[0], 0x45);
		CHECK_EQ(d[1], exp_tos);
		CHECK_EQ(d[1] & 3, p->ecn_compat ? DSA_ECN_NOT_ECT : (tos & 3));
		CHECK_EQ(d[1] >> 2, tos >> 2);
		CHECK_EQ(rd16(d + 2), len + 20 + glen);
		CHECK_EQ(rd16(d + 4), id0);
		CHECK_EQ(id, (uint16_t)(id0 + 1));
		CHECK_EQ(rd16(d + 6), df_exp ? RTE_IPV4_HDR_DF_FLAG : 0); /* DF, no MF, offset 0 */
		CHECK_EQ(d[8], p->ttl);
		CHECK_EQ(d[9], exp_proto);
		CHECK_EQ(rd32(d + 12), rte_be_to_cpu_32(f->outer.v4.src));
		CHECK_EQ(rd32(d + 16), rte_be_to_cpu_32(f->outer.v4.dst));
		CHECK(ip4_csum_ok(d));
	}
	if (gre) {
		const uint8_t *g = d + ohl;

		CHECK_EQ(rd16(g), DSA_GRE_K); /* K only: no C, R, S, version 0 */
		CHECK_EQ(rd16(g + 2),
		        inner_af == AF_INET ? RTE_ETHER_TYPE_IPV4 : RTE_ETHER_TYPE_IPV6);
		CHECK_EQ(rd32(g + 4), rte_be_to_cpu_32(f->gre_key));
	}
	CHECK(memcmp(d + ohl + glen, b, len) == 0);
	rte_pktmbuf_free(m);
	return label;
}

static void
test_encap_matrix(void)
{
	static const uint8_t afl[2] = { AF_INET6, AF_INET };
	uint32_t first_label[2] = { 0, 0 };

	for (int oi = 0; oi < 2; oi++)
		for (int ii = 0; ii < 2; ii++)
			for (int gre = 0; gre < 2; gre++)
				for (int compat = 0; compat < 2; compat++)
					for (int ecn = 0; ecn < 4; ecn++)
						for (int df = 0; df < 2; df++) {
							uint8_t outer = afl[oi], inner = afl[ii];
							uint8_t dscp =
							        (uint8_t)((ecn * 13 + gre * 7 +
							                          10) &
							                  0x3f);
							uint8_t b[2048];
							struct dsa_fwd f = mkfwd(outer, gre);
							size_t len;
							uint32_t label;

							if (inner == AF_INET6 && df)
								continue;
							set_ctx("encap outer=%s inner=%s gre=%d "
							        "compat=%d ecn=%d df=%d",
							        afs(outer), afs(inner), gre, compat,
							        ecn, df);
							len = inner_pkt(b, inner,
							        (uint8_t)(dscp << 2 | ecn), df,
							        1000, 100);
							label = check_encap(b, len, inner, &f,
							        compat ? &params_compat
							               : &params_normal);
							if (outer == AF_INET6) {
								/* Same flow (addresses, protocol,
								 * ports): same label, whatever the
								 * DS field or the tunnel type. */
								if (first_label[ii] == 0)
									first_label[ii] = label;
								CHECK_EQ(label, first_label[ii]);
							}
						}

	set_ctx("encap counters");
	struct dsa_fwd f6 = mkfwd(AF_INET6, false), f4 = mkfwd(AF_INET, false);
	struct dsa_fwd g6 = mkfwd(AF_INET6, true), g4 = mkfwd(AF_INET, true);
	CHECK_EQ(dsa_encap_counter(&f6, AF_INET6), DSA_CNT_ENCAP_6IN6);
	CHECK_EQ(dsa_encap_counter(&f6, AF_INET), DSA_CNT_ENCAP_4IN6);
	CHECK_EQ(dsa_encap_counter(&f4, AF_INET), DSA_CNT_ENCAP_4IN4);
	CHECK_EQ(dsa_encap_counter(&f4, AF_INET6), DSA_CNT_ENCAP_6IN4);
	CHECK_EQ(dsa_encap_counter(&g6, AF_INET), DSA_CNT_ENCAP_GRE6);
	CHECK_EQ(dsa_encap_counter(&g6, AF_INET6), DSA_CNT_ENCAP_GRE6);
	CHECK_EQ(dsa_encap_counter(&g4, AF_INET), DSA_CNT_ENCAP_GRE4);
	CHECK_EQ(dsa_encap_counter(&g4, AF_INET6), DSA_CNT_ENCAP_GRE4);
	CHECK_EQ(dsa_fwd_overhead(&f6), 40);
	CHECK_EQ(dsa_fwd_overhead(&f4), 20);
	CHECK_EQ(dsa_fwd_overhead(&g6), 48);
	CHECK_EQ(dsa_fwd_overhead(&g4), 28);
}

/* Not enough headroom: NO_HEADROOM and the packet left alone. */
static void
test_encap_no_headroom(void)
{
	static const uint8_t afl[2] = { AF_INET6, AF_INET };
	uint8_t b[256];
	size_t len = inner_pkt(b, AF_INET, 0, true, 1000, 100);

	for (int oi = 0; oi < 2; oi++)
		for (int gre = 0; gre < 2; gre++) {
			struct dsa_fwd f = mkfwd(afl[oi], gre);
			struct rte_mbuf *m = rte_pktmbuf_alloc(pool);
			uint16_t id = 7;

			set_ctx("no headroom outer=%s gre=%d", afs(afl[oi]), gre);
			m->data_off = (uint16_t)(dsa_fwd_overhead(&f) - 1);
			memcpy(rte_pktmbuf_append(m, (uint16_t)len), b, len);
			CHECK_EQ(dsa_encap(m, &f, AF_INET, &params_normal, &id),
			        DSA_DROP_NO_HEADROOM);
			CHECK_EQ(rte_pktmbuf_pkt_len(m), len);
			CHECK(memcmp(dat(m), b, len) == 0);
			rte_pktmbuf_free(m);
		}
}

/* Flow label: changes with a port, ignores DS and options, stable per flow. */
static void
test_flow_label(void)
{
	uint8_t b[512], pl[512];
	struct rte_mbuf *m;
	uint32_t l1, l2, l3;
	size_t len;

	set_ctx("flow label v4");
	len = inner_pkt(b, AF_INET, 0, false, 1000, 100);
	m = mk(b, len);
	l1 = dsa_flow_label(m, AF_INET);
	CHECK(l1 != 0 && l1 <= 0xfffff);
	CHECK_EQ(dsa_flow_label(m, AF_INET), l1);
	rte_pktmbuf_free(m);
	len = inner_pkt(b, AF_INET, 0, false, 1001, 100);
	m = mk(b, len);
	l2 = dsa_flow_label(m, AF_INET);
	rte_pktmbuf_free(m);
	CHECK(l2 != l1);
	len = inner_pkt(b, AF_INET, 0xb8, true, 1000, 300);
	m = mk(b, len);
	CHECK_EQ(dsa_flow_label(m, AF_INET), l1); /* DS, DF, length do not matter */
	rte_pktmbuf_free(m);

	/* Fragments: no ports, so the first and the later fragments share a label. */
	set_ctx("flow label v4 fragments");
	put_udp(pl, 1000, 53, 92, 1);
	len = put_ip4(b, 5, 0, RTE_IPV4_HDR_MF_FLAG, 64, IPPROTO_UDP, MN4, CN4, pl, 100);
	m = mk(b, len);
	l3 = dsa_flow_label(m, AF_INET);
	rte_pktmbuf_free(m);
	put_udp(pl, 1001, 53, 92, 1); /* a later fragment: "ports" are payload bytes */
	len = put_ip4(b, 5, 0, 13, 64, IPPROTO_UDP, MN4, CN4, pl, 100);
	m = mk(b, len);
	CHECK_EQ(dsa_flow_label(m, AF_INET), l3);
	rte_pktmbuf_free(m);

	set_ctx("flow label v6");
	len = inner_pkt(b, AF_INET6, 0, false, 1000, 100);
	m = mk(b, len);
	l1 = dsa_flow_label(m, AF_INET6);
	CHECK(l1 != 0 && l1 <= 0xfffff);
	rte_pktmbuf_free(m);
	len = inner_pkt(b, AF_INET6, 0, false, 1001, 100);
	m = mk(b, len);
	l2 = dsa_flow_label(m, AF_INET6);
	rte_pktmbuf_free(m);
	CHECK(l2 != l1);
	len = inner_pkt(b, AF_INET6, 0x2e << 2 | 1, false, 1000, 200);
	m = mk(b, len);
	CHECK_EQ(dsa_flow_label(m, AF_INET6), l1);
	rte_pktmbuf_free(m);
}

/* Inner IPv4 with options: kept by encap, and the flow label finds the ports. */
static void
test_ip4_options(void)
{
	static const uint8_t afl[2] = { AF_INET6, AF_INET };
	uint8_t b[512], pl[512];
	struct rte_mbuf *m;
	uint32_t base, l;
	size_t len;

	put_udp(pl, 1000, 53, 64, 2);
	len = put_ip4(b, 5, 0, 0, 64, IPPROTO_UDP, MN4, CN4, pl, 72);
	m = mk(b, len);
	base = dsa_flow_label(m, AF_INET);
	rte_pktmbuf_free(m);

	for (uint8_t ihl = 6; ihl <= 15; ihl++) {
		set_ctx("inner IPv4 IHL %u", ihl);
		put_udp(pl, 1000, 53, 64, 2);
		len = put_ip4(
		        b, ihl, 0x29, RTE_IPV4_HDR_DF_FLAG, 64, IPPROTO_UDP, MN4, CN4, pl, 72);
		m = mk(b, len);
		CHECK_EQ(dsa_ip4_check(m, DSA_DROP_NONE), DSA_DROP_NONE);
		l = dsa_flow_label(m, AF_INET);
		CHECK_EQ(l, base); /* same flow: options do not change it */
		rte_pktmbuf_free(m);
		put_udp(pl, 1000, 54, 64, 2);
		len = put_ip4(
		        b, ihl, 0x29, RTE_IPV4_HDR_DF_FLAG, 64, IPPROTO_UDP, MN4, CN4, pl, 72);
		m = mk(b, len);
		CHECK(dsa_flow_label(m, AF_INET) != l); /* the port after the options counts */
		rte_pktmbuf_free(m);
		put_udp(pl, 1000, 53, 64, 2);
		len = put_ip4(
		        b, ihl, 0x29, RTE_IPV4_HDR_DF_FLAG, 64, IPPROTO_UDP, MN4, CN4, pl, 72);
		for (int oi = 0; oi < 2; oi++)
			for (int gre = 0; gre < 2; gre++) {
				struct dsa_fwd f = mkfwd(afl[oi], gre);

				set_ctx("inner IPv4 IHL %u outer=%s gre=%d", ihl, afs(afl[oi]),
				        gre);
				check_encap(b, len, AF_INET, &f, &params_normal);
			}
	}
}

/* Inner IPv6 extension headers: dsa_ip6_upper, flow label, encap. */
static void
test_ip6_ext(void)
{
	static const uint8_t afl[2] = { AF_INET6, AF_INET };
	static const struct {
		const char *name;
		int n;
		uint8_t t[8];
	} chains[] = {
		{ "none", 0, { 0 } },
		{ "hbh", 1, { IPPROTO_HOPOPTS } },
		{ "dst", 1, { IPPROTO_DSTOPTS } },
		{ "rt", 1, { IPPROTO_ROUTING } },
		{ "hbh+dst+rt+dst", 4,
		        { IPPROTO_HOPOPTS, IPPROTO_DSTOPTS, IPPROTO_ROUTING, IPPROTO_DSTOPTS } },
		{ "8 headers", 8,
		        { IPPROTO_HOPOPTS, IPPROTO_DSTOPTS, IPPROTO_DSTOPTS, IPPROTO_DSTOPTS,
		                IPPROTO_DSTOPTS, IPPROTO_DSTOPTS, IPPROTO_ROUTING,
		                IPPROTO_DSTOPTS } },
	};
	uint8_t b[1024], pl[512];
	struct rte_mbuf *m;
	uint32_t base = 0;
	unsigned int off;
	size_t len, el;

	for (unsigned int c = 0; c < RTE_DIM(chains); c++) {
		el = 0;
		for (int i = 0; i < chains[c].n; i++)
			el += ext_len(chains[c].t[i]);
		set_ctx("inner IPv6 ext %s", chains[c].name);
		put_udp(pl, 2000, 53, 64, 3);
		len = put_ip6(b, 0, 0, 64, mn6, cn6, chains[c].t, chains[c].n, IPPROTO_UDP, pl, 72);
		m = mk(b, len);
		off = 0;
		CHECK_EQ(dsa_ip6_upper(m, &off), IPPROTO_UDP);
		CHECK_EQ(off, 40 + el);
		CHECK_EQ(dsa_ip6_check(m, DSA_DROP_NONE), DSA_DROP_NONE);
		uint32_t l = dsa_flow_label(m, AF_INET6);
		if (c == 0)
			base = l;
		CHECK_EQ(l, base); /* extension headers do not change the flow */
		rte_pktmbuf_free(m);
		put_udp(pl, 2001, 53, 64, 3);
		len = put_ip6(b, 0, 0, 64, mn6, cn6, chains[c].t, chains[c].n, IPPROTO_UDP, pl, 72);
		m = mk(b, len);
		CHECK(dsa_flow_label(m, AF_INET6) != l); /* the port past the chain counts */
		rte_pktmbuf_free(m);
		put_udp(pl, 2000, 53, 64, 3);
		len = put_ip6(
		        b, 0xb9, 0, 64, mn6, cn6, chains[c].t, chains[c].n, IPPROTO_UDP, pl, 72);
		for (int oi = 0; oi < 2; oi++)
			for (int gre = 0; gre < 2; gre++) {
				struct dsa_fwd f = mkfwd(afl[oi], gre);

				set_ctx("inner IPv6 ext %s outer=%s gre=%d", chains[c].name,
				        afs(afl[oi]), gre);
				check_encap(b, len, AF_INET6, &f, &params_normal);
			}
	}

	/* Chains that run past the data. */
	static const uint8_t dst1[1] = { IPPROTO_DSTOPTS };
	static const uint8_t nine[9] = { IPPROTO_DSTOPTS, IPPROTO_DSTOPTS, IPPROTO_DSTOPTS,
		IPPROTO_DSTOPTS, IPPROTO_DSTOPTS, IPPROTO_DSTOPTS, IPPROTO_DSTOPTS, IPPROTO_DSTOPTS,
		IPPROTO_DSTOPTS };

	set_ctx("ip6_upper: ext header length past the data");
	len = put_ip6(b, 0, 0, 64, mn6, cn6, dst1, 1, IPPROTO_UDP, pl, 0);
	b[40 + 1] = 3; /* claims 32 bytes, 8 present */
	m = mk(b, len);
	CHECK_EQ(dsa_ip6_upper(m, &off), -1);
	rte_pktmbuf_free(m);

	set_ctx("ip6_upper: ext header length past the data by 8");
	put_udp(pl, 2000, 53, 0, 3);
	len = put_ip6(b, 0, 0, 64, mn6, cn6, dst1, 1, IPPROTO_UDP, pl, 8);
	b[40 + 1] = 2; /* claims 24 bytes, 16 present */
	m = mk(b, len);
	CHECK_EQ(dsa_ip6_upper(m, &off), -1);
	rte_pktmbuf_free(m);

	set_ctx("ip6_upper: ext header cut in the middle");
	len = put_ip6(b, 0, 0, 64, mn6, cn6, dst1, 1, IPPROTO_UDP, pl, 0);
	m = mk(b, len - 4); /* 4 of its 8 bytes */
	CHECK_EQ(dsa_ip6_upper(m, &off), -1);
	rte_pktmbuf_free(m);

	set_ctx("ip6_upper: next header hop-by-hop, no data");
	len = put_ip6(b, 0, 0, 64, mn6, cn6, NULL, 0, IPPROTO_HOPOPTS, pl, 0);
	m = mk(b, len);
	CHECK_EQ(dsa_ip6_upper(m, &off), -1);
	rte_pktmbuf_free(m);

	set_ctx("ip6_upper: 9 extension headers");
	len = put_ip6(b, 0, 0, 64, mn6, cn6, nine, 9, IPPROTO_UDP, pl, 8);
	m = mk(b, len);
	CHECK_EQ(dsa_ip6_upper(m, &off), -1);
	rte_pktmbuf_free(m);

	set_ctx("ip6_upper: chain ending exactly at the end of the data");
	len = put_ip6(b, 0, 0, 64, mn6, cn6, dst1, 1, 59 /* no next header */, pl, 0);
	m = mk(b, len);
	off = 0;
	CHECK_EQ(dsa_ip6_upper(m, &off), 59);
	CHECK_EQ(off, 48);
	rte_pktmbuf_free(m);

	set_ctx("ip6_upper: fragment header returned as such");
	static const uint8_t frag1[2] = { IPPROTO_DSTOPTS, IPPROTO_FRAGMENT };
	frag_field = 0x0101;
	len = put_ip6(b, 0, 0, 64, mn6, cn6, frag1, 2, IPPROTO_UDP, pl, 8);
	m = mk(b, len);
	off = 0;
	CHECK_EQ(dsa_ip6_upper(m, &off), IPPROTO_FRAGMENT);
	CHECK_EQ(off, 48);
	rte_pktmbuf_free(m);
}

/* ---------------------------------------------------------------- */
/* dsa_decap                                                         */

/* Decap m and check the result against the inner packet b/len. */
static void
check_decap_ok(struct rte_mbuf *m, const uint8_t *b, size_t len, uint8_t inner_af, uint8_t outer_af,
        uint8_t ecn, bool gre, bool has_key, uint32_t key)
{
	struct dsa_outer o;
	enum dsa_drop why = DSA_DROP_MAX;

	memset(&o, 0x5a, sizeof(o));
	CHECK_EQ(dsa_decap(m, &o, &why), inner_af);
	CHECK_EQ(why, DSA_DROP_NONE);
	CHECK_EQ(rte_pktmbuf_pkt_len(m), len);
	CHECK(memcmp(dat(m), b, len) == 0);
	CHECK_EQ(o.af, outer_af);
	CHECK_EQ(o.ecn, ecn);
	CHECK_EQ(o.gre, gre);
	CHECK_EQ(o.has_key, has_key);
	CHECK_EQ(o.key, has_key ? rte_cpu_to_be_32(key) : 0);
	if (outer_af == AF_INET)
		CHECK_EQ(o.src.v4, rte_cpu_to_be_32(COA4));
	else
		CHECK(memcmp(o.src.v6, coa6, 16) == 0);
	CHECK_EQ(dsa_decap_counter(&o, inner_af),
	        gre ? (outer_af == AF_INET6 ? DSA_CNT_DECAP_GRE6 : DSA_CNT_DECAP_GRE4)
	        : outer_af == AF_INET6
	                ? (inner_af == AF_INET6 ? DSA_CNT_DECAP_6IN6 : DSA_CNT_DECAP_4IN6)
	                : (inner_af == AF_INET6 ? DSA_CNT_DECAP_6IN4 : DSA_CNT_DECAP_4IN4));
}

/* Uplink packets from dsa_encap: decap gives back the inner packet. */
static void
test_decap_roundtrip(void)
{
	static const uint8_t afl[2] = { AF_INET6, AF_INET };

	for (int oi = 0; oi < 2; oi++)
		for (int ii = 0; ii < 2; ii++)
			for (int gre = 0; gre < 2; gre++)
				for (int ecn = 0; ecn < 4; ecn++) {
					uint8_t outer = afl[oi], inner = afl[ii], b[512];
					struct dsa_fwd up = mkfwd_up(outer, gre),
					               down = mkfwd(outer, gre);
					size_t len = inner_pkt(b, inner, (uint8_t)(0x28 << 2 | ecn),
					        true, 3000, 120);
					struct rte_mbuf *m = mk(b, len);
					struct dsa_outer o;
					enum dsa_drop why;
					uint16_t id = 1;

					set_ctx("decap roundtrip outer=%s inner=%s gre=%d ecn=%d",
					        afs(outer), afs(inner), gre, ecn);
					CHECK_EQ(dsa_encap(m, &up, inner, &params_normal, &id),
					        DSA_DROP_NONE);
					check_decap_ok(m, b, len, inner, outer, (uint8_t)ecn, gre,
					        gre, GRE_KEY);
					rte_pktmbuf_free(m);

					/* The outer fields match the binding toward that care-of
					 * address. */
					m = mk(b, len);
					dsa_encap(m, &up, inner, &params_normal, &id);
					dsa_decap(m, &o, &why);
					CHECK(dsa_outer_matches(&o, &down));
					rte_pktmbuf_free(m);
				}
}

/* An outer packet around payload pl (proto), from the care-of address. */
static size_t
outer_pkt(uint8_t *b, uint8_t outer_af, uint8_t ecn, const uint8_t *ext, int n, uint8_t proto,
        const uint8_t *pl, size_t plen)
{
	if (outer_af == AF_INET)
		return put_ip4(b, 5, ecn, 0, 60, proto, COA4, ANCHOR4, pl, plen);
	return put_ip6(b, ecn, 0x12345, 60, coa6, anchor6, ext, n, proto, pl, plen);
}

/* Decap of b/len must fail with why_exp. */
static void
check_decap_fail(const uint8_t *b, size_t len, enum dsa_drop why_exp)
{
	struct rte_mbuf *m = mk(b, len);
	struct dsa_outer o;
	enum dsa_drop why = DSA_DROP_NONE;

	/* the outer header is valid: the pipeline checks it first (an IPv6
	 * payload length of 0 is refused there; decap must still cope) */
	if ((b[0] >> 4) == 4)
		CHECK_EQ(dsa_ip4_check(m, DSA_DROP_NONE), DSA_DROP_NONE);
	else if (rd16(b + 4) != 0)
		CHECK_EQ(dsa_ip6_check(m, DSA_DROP_NONE), DSA_DROP_NONE);
	CHECK_EQ(dsa_decap(m, &o, &why), 0);
	CHECK_EQ(why, why_exp);
	rte_pktmbuf_free(m);
}

static void
test_decap_gre(void)
{
	static const uint8_t afl[2] = { AF_INET6, AF_INET };
	static const uint16_t ok_flags[] = {
		DSA_GRE_K,
		DSA_GRE_C | DSA_GRE_K,
		DSA_GRE_K | DSA_GRE_S,
		DSA_GRE_C | DSA_GRE_K | DSA_GRE_S,
		0,
		DSA_GRE_C,
		DSA_GRE_S,
		DSA_GRE_C | DSA_GRE_S,
	};
	uint8_t in[512], g[600], b[700];
	size_t ilen, glen, len;

	for (int oi = 0; oi < 2; oi++)
		for (int ii = 0; ii < 2; ii++)
			for (unsigned int fi = 0; fi < RTE_DIM(ok_flags); fi++) {
				uint8_t outer = afl[oi], inner = afl[ii];
				uint16_t fl = ok_flags[fi];
				struct rte_mbuf *m;

				set_ctx("decap GRE outer=%s inner=%s flags=0x%04x", afs(outer),
				        afs(inner), fl);
				ilen = inner_pkt(in, inner, 0, false, 4000, 90);
				glen = put_gre(g, fl,
				        inner == AF_INET ? RTE_ETHER_TYPE_IPV4
				                         : RTE_ETHER_TYPE_IPV6,
				        0xfeedf00d, in, ilen);
				len = outer_pkt(
				        b, outer, DSA_ECN_ECT1, NULL, 0, DSA_PROTO_GRE, g, glen);
				m = mk(b, len);
				check_decap_ok(m, in, ilen, inner, outer, DSA_ECN_ECT1, true,
				        fl & DSA_GRE_K, 0xfeedf00d);
				rte_pktmbuf_free(m);
			}

	for (int oi = 0; oi < 2; oi++) {
		uint8_t outer = afl[oi];

		ilen = inner_pkt(in, AF_INET, 0, false, 4000, 90);

		set_ctx("decap GRE outer=%s version 1", afs(outer));
		glen = put_gre(g, DSA_GRE_K | 1, RTE_ETHER_TYPE_IPV4, 1, in, ilen);
		len = outer_pkt(b, outer, 0, NULL, 0, DSA_PROTO_GRE, g, glen);
		check_decap_fail(b, len, DSA_DROP_BAD_GRE);

		set_ctx("decap GRE outer=%s version 7", afs(outer));
		glen = put_gre(g, 7, RTE_ETHER_TYPE_IPV4, 1, in, ilen);
		len = outer_pkt(b, outer, 0, NULL, 0, DSA_PROTO_GRE, g, glen);
		check_decap_fail(b, len, DSA_DROP_BAD_GRE);

		set_ctx("decap GRE outer=%s routing bit", afs(outer));
		glen = put_gre(g, DSA_GRE_R | DSA_GRE_K, RTE_ETHER_TYPE_IPV4, 1, in, ilen);
		len = outer_pkt(b, outer, 0, NULL, 0, DSA_PROTO_GRE, g, glen);
		check_decap_fail(b, len, DSA_DROP_BAD_GRE);

		set_ctx("decap GRE outer=%s protocol 0x6558", afs(outer));
		glen = put_gre(g, DSA_GRE_K, 0x6558, 1, in, ilen);
		len = outer_pkt(b, outer, 0, NULL, 0, DSA_PROTO_GRE, g, glen);
		check_decap_fail(b, len, DSA_DROP_BAD_GRE);

		set_ctx("decap GRE outer=%s protocol 0x0806", afs(outer));
		glen = put_gre(g, 0, 0x0806, 1, in, ilen);
		len = outer_pkt(b, outer, 0, NULL, 0, DSA_PROTO_GRE, g, glen);
		check_decap_fail(b, len, DSA_DROP_BAD_GRE);

		/* Truncated GRE headers: the outer length covers only what is there. */
		static const struct {
			uint16_t flags;
			size_t keep;
		} tr[] = {
			{ DSA_GRE_K, 0 },
			{ DSA_GRE_K, 2 },
			{ DSA_GRE_K, 3 },
			{ 0, 3 },
			{ DSA_GRE_K, 4 },
			{ DSA_GRE_K, 7 },
			{ DSA_GRE_C, 4 },
			{ DSA_GRE_C, 7 },
			{ DSA_GRE_C | DSA_GRE_K, 8 },
			{ DSA_GRE_C | DSA_GRE_K, 11 },
			{ DSA_GRE_K | DSA_GRE_S, 8 },
			{ DSA_GRE_K | DSA_GRE_S, 11 },
			{ DSA_GRE_S, 4 },
		};
		for (unsigned int i = 0; i < RTE_DIM(tr); i++) {
			set_ctx("decap GRE outer=%s truncated flags=0x%04x keep=%zu", afs(outer),
			        tr[i].flags, tr[i].keep);
			put_gre(g, tr[i].flags, RTE_ETHER_TYPE_IPV4, 1, in, 0);
			len = outer_pkt(b, outer, 0, NULL, 0, DSA_PROTO_GRE, g, tr[i].keep);
			check_decap_fail(b, len, DSA_DROP_TRUNCATED);
		}

		/* GRE header complete, inner missing. */
		set_ctx("decap GRE outer=%s no inner", afs(outer));
		glen = put_gre(g, DSA_GRE_K, RTE_ETHER_TYPE_IPV4, 1, in, 0);
		len = outer_pkt(b, outer, 0, NULL, 0, DSA_PROTO_GRE, g, glen);
		check_decap_fail(b, len, DSA_DROP_TRUNCATED);
	}
}

/* Outer IPv6 with extension headers before the tunnel payload. */
static void
test_decap_ext(void)
{
	static const uint8_t dst1[1] = { IPPROTO_DSTOPTS };
	static const uint8_t chain[3] = { IPPROTO_HOPOPTS, IPPROTO_DSTOPTS, IPPROTO_ROUTING };
	uint8_t in[512], g[600], b[700];
	size_t ilen, glen, len;
	struct rte_mbuf *m;

	for (int ii = 0; ii < 2; ii++) {
		uint8_t inner = ii ? AF_INET : AF_INET6;

		ilen = inner_pkt(in, inner, 0, false, 4000, 90);
		set_ctx("decap outer6+dstopts inner=%s", afs(inner));
		len = outer_pkt(b, AF_INET6, DSA_ECN_CE, dst1, 1,
		        inner == AF_INET ? DSA_PROTO_IPIP : DSA_PROTO_IPV6, in, ilen);
		m = mk(b, len);
		check_decap_ok(m, in, ilen, inner, AF_INET6, DSA_ECN_CE, false, false, 0);
		rte_pktmbuf_free(m);

		set_ctx("decap outer6+hbh+dst+rt GRE inner=%s", afs(inner));
		glen = put_gre(g, DSA_GRE_K,
		        inner == AF_INET ? RTE_ETHER_TYPE_IPV4 : RTE_ETHER_TYPE_IPV6, 77, in, ilen);
		len = outer_pkt(b, AF_INET6, DSA_ECN_ECT0, chain, 3, DSA_PROTO_GRE, g, glen);
		m = mk(b, len);
		check_decap_ok(m, in, ilen, inner, AF_INET6, DSA_ECN_ECT0, true, true, 77);
		rte_pktmbuf_free(m);
	}

	set_ctx("decap outer6 ext chain past the data");
	len = outer_pkt(b, AF_INET6, 0, dst1, 1, DSA_PROTO_IPV6, in, 0);
	b[41] = 4; /* 40 bytes claimed, 8 there */
	check_decap_fail(b, len, DSA_DROP_TRUNCATED);
}

/* Bad inner packets and payloads that are not tunnels. */
static void
test_decap_bad_inner(void)
{
	static const uint8_t afl[2] = { AF_INET6, AF_INET };
	uint8_t in[512], g[600], b[700];
	size_t ilen, glen, len;

	for (int oi = 0; oi < 2; oi++) {
		uint8_t outer = afl[oi];

		set_ctx("decap outer=%s proto IPIP with an IPv6 inner", afs(outer));
		ilen = inner_pkt(in, AF_INET6, 0, false, 1, 80);
		len = outer_pkt(b, outer, 0, NULL, 0, DSA_PROTO_IPIP, in, ilen);
		check_decap_fail(b, len, DSA_DROP_BAD_INNER);

		set_ctx("decap outer=%s proto IPv6 with an IPv4 inner", afs(outer));
		ilen = inner_pkt(in, AF_INET, 0, false, 1, 80);
		len = outer_pkt(b, outer, 0, NULL, 0, DSA_PROTO_IPV6, in, ilen);
		check_decap_fail(b, len, DSA_DROP_BAD_INNER);

		set_ctx("decap outer=%s GRE 0x86dd with an IPv4 inner", afs(outer));
		glen = put_gre(g, DSA_GRE_K, RTE_ETHER_TYPE_IPV6, 1, in, ilen);
		len = outer_pkt(b, outer, 0, NULL, 0, DSA_PROTO_GRE, g, glen);
		check_decap_fail(b, len, DSA_DROP_BAD_INNER);

		set_ctx("decap outer=%s GRE 0x0800 with an IPv6 inner", afs(outer));
		ilen = inner_pkt(in, AF_INET6, 0, false, 1, 80);
		glen = put_gre(g, DSA_GRE_K, RTE_ETHER_TYPE_IPV4, 1, in, ilen);
		len = outer_pkt(b, outer, 0, NULL, 0, DSA_PROTO_GRE, g, glen);
		check_decap_fail(b, len, DSA_DROP_BAD_INNER);

		set_ctx("decap outer=%s inner IPv4 bad checksum", afs(outer));
		ilen = inner_pkt(in, AF_INET, 0, false, 1, 80);
		in[10] ^= 0x01;
		len = outer_pkt(b, outer, 0, NULL, 0, DSA_PROTO_IPIP, in, ilen);
		check_decap_fail(b, len, DSA_DROP_BAD_IPV4_CSUM);

		set_ctx("decap outer=%s inner IPv4 total length past the end", afs(outer));
		ilen = inner_pkt(in, AF_INET, 0, false, 1, 80);
		len = outer_pkt(b, outer, 0, NULL, 0, DSA_PROTO_IPIP, in, ilen - 1);
		check_decap_fail(b, len, DSA_DROP_TRUNCATED);

		set_ctx("decap outer=%s inner IPv4 shorter than a header", afs(outer));
		len = outer_pkt(b, outer, 0, NULL, 0, DSA_PROTO_IPIP, in, 19);
		check_decap_fail(b, len, DSA_DROP_TRUNCATED);

		set_ctx("decap outer=%s no inner at all", afs(outer));
		len = outer_pkt(b, outer, 0, NULL, 0, DSA_PROTO_IPV6, in, 0);
		check_decap_fail(b, len, DSA_DROP_TRUNCATED);

		set_ctx("decap outer=%s inner IPv6 payload length past the end", afs(outer));
		ilen = inner_pkt(in, AF_INET6, 0, false, 1, 80);
		len = outer_pkt(b, outer, 0, NULL, 0, DSA_PROTO_IPV6, in, ilen - 1);
		check_decap_fail(b, len, DSA_DROP_TRUNCATED);

		set_ctx("decap outer=%s inner IPv6 shorter than a header", afs(outer));
		len = outer_pkt(b, outer, 0, NULL, 0, DSA_PROTO_IPV6, in, 39);
		check_decap_fail(b, len, DSA_DROP_TRUNCATED);

		set_ctx("decap outer=%s UDP payload", afs(outer));
		ilen = put_udp(in, 1, 2, 30, 0);
		len = outer_pkt(b, outer, 0, NULL, 0, IPPROTO_UDP, in, ilen);
		check_decap_fail(b, len, DSA_DROP_NOT_FOR_US);

		/* Inner packet followed by bytes the outer length covers: trimmed. */
		for (int ii = 0; ii < 2; ii++) {
			uint8_t inner = afl[ii];
			struct rte_mbuf *m;

			set_ctx("decap outer=%s inner=%s with trailing bytes", afs(outer),
			        afs(inner));
			ilen = inner_pkt(in, inner, 0, false, 1, 80);
			memset(in + ilen, 0xee, 6);
			len = outer_pkt(b, outer, 0, NULL, 0,
			        inner == AF_INET ? DSA_PROTO_IPIP : DSA_PROTO_IPV6, in, ilen + 6);
			m = mk(b, len);
			check_decap_ok(m, in, ilen, inner, outer, 0, false, false, 0);
			rte_pktmbuf_free(m);
		}
	}
}

/* ---------------------------------------------------------------- */
/* dsa_ip4_check / dsa_ip6_check                                     */

static void
test_ip_check(void)
{
	uint8_t b[512], pl[512];
	struct rte_mbuf *m;
	size_t len;

	set_ctx("ip4_check good");
	len = inner_pkt(b, AF_INET, 0, false, 1, 60);
	m = mk(b, len);
	CHECK_EQ(dsa_ip4_check(m, DSA_DROP_NONE), DSA_DROP_NONE);
	CHECK_EQ(rte_pktmbuf_pkt_len(m), len);
	rte_pktmbuf_free(m);

	set_ctx("ip4_check Ethernet padding trimmed");
	len = put_ip4(b, 5, 0, 0, 64, IPPROTO_ICMP, MN4, CN4, pl, 8); /* 28 bytes */
	memset(b + len, 0, 18);                                       /* to 46 */
	m = mk(b, len + 18);
	CHECK_EQ(dsa_ip4_check(m, DSA_DROP_NONE), DSA_DROP_NONE);
	CHECK_EQ(rte_pktmbuf_pkt_len(m), 28);
	CHECK_EQ(rte_pktmbuf_data_len(m), 28);
	rte_pktmbuf_free(m);

	set_ctx("ip4_check shorter than 20 bytes");
	len = inner_pkt(b, AF_INET, 0, false, 1, 60);
	m = mk(b, 19);
	CHECK_EQ(dsa_ip4_check(m, DSA_DROP_NONE), DSA_DROP_TRUNCATED);
	rte_pktmbuf_free(m);

	for (uint8_t ihl = 0; ihl < 5; ihl++) {
		set_ctx("ip4_check IHL %u", ihl);
		len = inner_pkt(b, AF_INET, 0, false, 1, 60);
		b[0] = 0x40 | ihl;
		be16(b + 10, 0);
		be16(b + 10, (uint16_t)~fold(sum16(b, 20, 0)));
		m = mk(b, len);
		CHECK_EQ(dsa_ip4_check(m, DSA_DROP_NONE), DSA_DROP_TRUNCATED);
		rte_pktmbuf_free(m);
	}

	set_ctx("ip4_check IHL past the data");
	len = put_ip4(b, 15, 0, 0, 64, IPPROTO_UDP, MN4, CN4, pl, 0); /* 60 bytes */
	m = mk(b, 40);
	CHECK_EQ(dsa_ip4_check(m, DSA_DROP_NONE), DSA_DROP_TRUNCATED);
	rte_pktmbuf_free(m);

	set_ctx("ip4_check total length < IHL");
	len = put_ip4(b, 6, 0, 0, 64, IPPROTO_UDP, MN4, CN4, pl, 16);
	be16(b + 2, 20);
	be16(b + 10, 0);
	be16(b + 10, (uint16_t)~fold(sum16(b, 24, 0)));
	m = mk(b, len);
	CHECK_EQ(dsa_ip4_check(m, DSA_DROP_NONE), DSA_DROP_TRUNCATED);
	rte_pktmbuf_free(m);

	set_ctx("ip4_check total length > packet");
	len = inner_pkt(b, AF_INET, 0, false, 1, 60);
	m = mk(b, len - 1);
	CHECK_EQ(dsa_ip4_check(m, DSA_DROP_NONE), DSA_DROP_TRUNCATED);
	rte_pktmbuf_free(m);

	set_ctx("ip4_check bad checksum");
	len = inner_pkt(b, AF_INET, 0, false, 1, 60);
	b[8]--; /* TTL changed, checksum not */
	m = mk(b, len);
	CHECK_EQ(dsa_ip4_check(m, DSA_DROP_NONE), DSA_DROP_BAD_IPV4_CSUM);
	rte_pktmbuf_free(m);

	set_ctx("ip4_check bad checksum in the options");
	len = put_ip4(b, 8, 0, 0, 64, IPPROTO_UDP, MN4, CN4, pl, 8);
	b[30] = 0;
	m = mk(b, len);
	CHECK_EQ(dsa_ip4_check(m, DSA_DROP_NONE), DSA_DROP_BAD_IPV4_CSUM);
	rte_pktmbuf_free(m);

	set_ctx("ip4_check wrong version");
	len = inner_pkt(b, AF_INET6, 0, false, 1, 60);
	m = mk(b, len);
	CHECK_EQ(dsa_ip4_check(m, DSA_DROP_NONE), DSA_DROP_BAD_VERSION);
	CHECK_EQ(dsa_ip4_check(m, DSA_DROP_BAD_INNER), DSA_DROP_BAD_INNER);
	rte_pktmbuf_free(m);

	set_ctx("ip6_check good");
	len = inner_pkt(b, AF_INET6, 0, false, 1, 80);
	m = mk(b, len);
	CHECK_EQ(dsa_ip6_check(m, DSA_DROP_NONE), DSA_DROP_NONE);
	CHECK_EQ(rte_pktmbuf_pkt_len(m), len);
	rte_pktmbuf_free(m);

	set_ctx("ip6_check padding trimmed");
	len = inner_pkt(b, AF_INET6, 0, false, 1, 80);
	memset(b + len, 0, 7);
	m = mk(b, len + 7);
	CHECK_EQ(dsa_ip6_check(m, DSA_DROP_NONE), DSA_DROP_NONE);
	CHECK_EQ(rte_pktmbuf_pkt_len(m), len);
	CHECK_EQ(rte_pktmbuf_data_len(m), len);
	rte_pktmbuf_free(m);

	set_ctx("ip6_check shorter than 40 bytes");
	m = mk(b, 39);
	CHECK_EQ(dsa_ip6_check(m, DSA_DROP_NONE), DSA_DROP_TRUNCATED);
	rte_pktmbuf_free(m);

	set_ctx("ip6_check payload length past the end");
	len = inner_pkt(b, AF_INET6, 0, false, 1, 80);
	m = mk(b, len - 1);
	CHECK_EQ(dsa_ip6_check(m, DSA_DROP_NONE), DSA_DROP_TRUNCATED);
	rte_pktmbuf_free(m);

	set_ctx("ip6_check payload length 0");
	len = inner_pkt(b, AF_INET6, 0, false, 1, 80);
	be16(b + 4, 0);
	m = mk(b, len);
	CHECK_EQ(dsa_ip6_check(m, DSA_DROP_NONE), DSA_DROP_TRUNCATED);
	rte_pktmbuf_free(m);

	set_ctx("ip6_check wrong version");
	len = inner_pkt(b, AF_INET, 0, false, 1, 80);
	m = mk(b, len);
	CHECK_EQ(dsa_ip6_check(m, DSA_DROP_NONE), DSA_DROP_BAD_VERSION);
	CHECK_EQ(dsa_ip6_check(m, DSA_DROP_BAD_INNER), DSA_DROP_BAD_INNER);
	rte_pktmbuf_free(m);
	len = inner_pkt(b, AF_INET6, 0, false, 1, 80);
	b[0] = 0x70;
	m = mk(b, len);
	CHECK_EQ(dsa_ip6_check(m, DSA_DROP_NONE), DSA_DROP_BAD_VERSION);
	rte_pktmbuf_free(m);
}

/* ---------------------------------------------------------------- */
/* ECN (RFC 6040)                                                    */

static void
test_ecn(void)
{
	/* RFC 6040 §4.2 Figure 4: rows = inner, columns = outer; -1 = drop. */
	static const int table[4][4] = {
		/*            outer: Not-ECT          ECT(1)          ECT(0)          CE */
		/* Not-ECT */ { DSA_ECN_NOT_ECT, DSA_ECN_NOT_ECT, DSA_ECN_NOT_ECT, -1 },
		/* ECT(1) */ { DSA_ECN_ECT1, DSA_ECN_ECT1, DSA_ECN_ECT1, DSA_ECN_CE },
		/* ECT(0) */ { DSA_ECN_ECT0, DSA_ECN_ECT1, DSA_ECN_ECT0, DSA_ECN_CE },
		/* CE */ { DSA_ECN_CE, DSA_ECN_CE, DSA_ECN_CE, DSA_ECN_CE },
	};
	/* Indices are the codepoints themselves: 0 Not-ECT, 1 ECT(1), 2 ECT(0), 3 CE. */

	for (int in = 0; in < 4; in++)
		for (int out = 0; out < 4; out++) {
			set_ctx("ecn_decap inner=%d outer=%d", in, out);
			CHECK_EQ(dsa_ecn_decap((uint8_t)out, (uint8_t)in), table[in][out]);
		}

	for (int ii = 0; ii < 2; ii++) {
		uint8_t af = ii ? AF_INET : AF_INET6;

		for (int in = 0; in < 4; in++)
			for (int out = 0; out < 4; out++) {
				uint8_t b[256], dscp = 0x2e;
				size_t len =
				        inner_pkt(b, af, (uint8_t)(dscp << 2 | in), true, 5, 60);
				struct rte_mbuf *m = mk(b, len);
				const uint8_t *d = dat(m);
				uint8_t tos;

				set_ctx("ecn_apply inner=%s ecn inner=%d outer=%d", afs(af), in,
				        out);
				if (table[in][out] < 0) {
					CHECK_EQ(dsa_ecn_apply(m, af, (uint8_t)out),
					        DSA_DROP_ECN_DROP);
					CHECK(memcmp(d, b, len) == 0);
					rte_pktmbuf_free(m);
					continue;
				}
				CHECK_EQ(dsa_ecn_apply(m, af, (uint8_t)out), DSA_DROP_NONE);
				if (af == AF_INET) {
					tos = d[1];
					CHECK(ip4_csum_ok(d));
					CHECK(memcmp(d + 2, b + 2, 8) ==
					        0); /* only ToS and checksum */
					CHECK(memcmp(d + 12, b + 12, len - 12) == 0);
				} else {
					tos = (uint8_t)(rd32(d) >> 20);
					CHECK_EQ(rd32(d) & 0xf00fffff, rd32(b) & 0xf00fffff);
					CHECK(memcmp(d + 4, b + 4, len - 4) == 0);
				}
				CHECK_EQ(tos & 3, table[in][out]);
				CHECK_EQ(tos >> 2, dscp);
				rte_pktmbuf_free(m);
			}
	}

	/* Every ToS value with every outer ECN: the IPv4 checksum stays valid. */
	for (int t = 0; t < 256; t++)
		for (int out = 0; out < 4; out++) {
			uint8_t b[256];
			size_t len = inner_pkt(b, AF_INET, (uint8_t)t, t & 1, (uint16_t)t, 40);
			struct rte_mbuf *m = mk(b, len);

			set_ctx("ecn_apply IPv4 tos=0x%02x outer=%d", t, out);
			if (dsa_ecn_apply(m, AF_INET, (uint8_t)out) == DSA_DROP_NONE)
				CHECK(ip4_csum_ok(dat(m)));
			rte_pktmbuf_free(m);
		}
}

/* ---------------------------------------------------------------- */
/* TTL                                                               */

static void
test_ttl(void)
{
	uint8_t b[256], pl[64];
	struct rte_mbuf *m;
	size_t len;

	put_udp(pl, 1, 2, 8, 0);
	for (int ttl = 0; ttl <= 255; ttl++) {
		set_ctx("ttl_dec IPv4 ttl=%d", ttl);
		len = put_ip4(
		        b, 5, (uint8_t)ttl, 0, (uint8_t)ttl, IPPROTO_UDP, MN4 + ttl, CN4, pl, 16);
		m = mk(b, len);
		struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod(m, struct rte_ipv4_hdr *);
		if (ttl <= 1) {
			CHECK(!dsa_ttl_dec(m, AF_INET));
			CHECK(memcmp(dat(m), b, len) == 0);
		} else {
			struct rte_ipv4_hdr copy;

			CHECK(dsa_ttl_dec(m, AF_INET));
			CHECK_EQ(ip->time_to_live, ttl - 1);
			CHECK(ip4_csum_ok(ip));
			copy = *ip;
			copy.hdr_checksum = 0;
			CHECK_EQ(rte_ipv4_cksum(&copy), ip->hdr_checksum);
			CHECK(memcmp(dat(m) + 12, b + 12, len - 12) == 0);
		}
		rte_pktmbuf_free(m);
	}
	for (int hl = 0; hl <= 3; hl++) {
		set_ctx("ttl_dec IPv6 hop limit=%d", hl);
		len = put_ip6(b, 0, 0, (uint8_t)hl, mn6, cn6, NULL, 0, IPPROTO_UDP, pl, 16);
		m = mk(b, len);
		if (hl <= 1) {
			CHECK(!dsa_ttl_dec(m, AF_INET6));
			CHECK(memcmp(dat(m), b, len) == 0);
		} else {
			CHECK(dsa_ttl_dec(m, AF_INET6));
			CHECK_EQ(dat(m)[7], hl - 1);
			CHECK(memcmp(dat(m), b, 7) == 0);
			CHECK(memcmp(dat(m) + 8, b + 8, len - 8) == 0);
		}
		rte_pktmbuf_free(m);
	}
}

/* ---------------------------------------------------------------- */
/* dsa_outer_matches                                                 */

static void
test_outer_matches(void)
{
	struct dsa_fwd f6 = mkfwd(AF_INET6, false), f4 = mkfwd(AF_INET, false);
	struct dsa_fwd g6 = mkfwd(AF_INET6, true), g4 = mkfwd(AF_INET, true);
	struct dsa_outer o6, o4;

	memset(&o6, 0, sizeof(o6));
	o6.af = AF_INET6;
	memcpy(o6.src.v6, coa6, 16);
	memset(&o4, 0, sizeof(o4));
	o4.af = AF_INET;
	o4.src.v4 = rte_cpu_to_be_32(COA4);

	set_ctx("outer_matches v6");
	CHECK(dsa_outer_matches(&o6, &f6));
	CHECK(!dsa_outer_matches(&o6, &f4)); /* wrong family */
	CHECK(!dsa_outer_matches(&o6, &g6)); /* GRE expected, absent */
	o6.ecn = 3;
	CHECK(dsa_outer_matches(&o6, &f6)); /* ECN does not matter */
	memcpy(o6.src.v6, other6, 16);
	CHECK(!dsa_outer_matches(&o6, &f6)); /* wrong CoA */
	memcpy(o6.src.v6, anchor6, 16);
	CHECK(!dsa_outer_matches(&o6, &f6)); /* the outer source of f, not its CoA */
	memcpy(o6.src.v6, coa6, 16);
	o6.gre = 1;
	o6.has_key = 1;
	o6.key = rte_cpu_to_be_32(GRE_KEY);
	CHECK(dsa_outer_matches(&o6, &g6));
	CHECK(!dsa_outer_matches(&o6, &f6)); /* GRE present, not expected */
	o6.key = rte_cpu_to_be_32(GRE_KEY + 1);
	CHECK(!dsa_outer_matches(&o6, &g6)); /* key mismatch */
	o6.key = rte_cpu_to_be_32(GRE_KEY);
	o6.has_key = 0;
	CHECK(!dsa_outer_matches(&o6, &g6)); /* GRE without key */
	o6.has_key = 1;
	memcpy(o6.src.v6, other6, 16);
	CHECK(!dsa_outer_matches(&o6, &g6)); /* right key, wrong CoA */

	set_ctx("outer_matches v4");
	CHECK(dsa_outer_matches(&o4, &f4));
	CHECK(!dsa_outer_matches(&o4, &f6));
	CHECK(!dsa_outer_matches(&o4, &g4));
	o4.src.v4 = rte_cpu_to_be_32(OTHER4);
	CHECK(!dsa_outer_matches(&o4, &f4));
	o4.src.v4 = rte_cpu_to_be_32(COA4);
	o4.gre = 1;
	o4.has_key = 1;
	o4.key = rte_cpu_to_be_32(GRE_KEY);
	CHECK(dsa_outer_matches(&o4, &g4));
	CHECK(!dsa_outer_matches(&o4, &f4));
	CHECK(!dsa_outer_matches(&o4, &g6));
	o4.key = 0;
	CHECK(!dsa_outer_matches(&o4, &g4));
	o4.key = rte_cpu_to_be_32(GRE_KEY);
	o4.has_key = 0;
	CHECK(!dsa_outer_matches(&o4, &g4));
	o4.has_key = 1;
	o4.src.v4 = rte_cpu_to_be_32(OTHER4);
	CHECK(!dsa_outer_matches(&o4, &g4));

	/* RFC 5845: each side picks the key it receives; uplink packets must
	 * carry ours (gre_key_in), not the MAG's downlink key. */
	set_ctx("outer_matches: uplink key");
	o4.src.v4 = rte_cpu_to_be_32(COA4);
	g4.gre_key_in = rte_cpu_to_be_32(GRE_KEY + 7);
	o4.key = rte_cpu_to_be_32(GRE_KEY + 7);
	CHECK(dsa_outer_matches(&o4, &g4));
	o4.key = g4.gre_key;
	CHECK(!dsa_outer_matches(&o4, &g4)); /* the downlink key is not accepted */
}

/* ---------------------------------------------------------------- */
/* ICMP errors                                                       */

/* An ICMP error about b/len (an IPv4 packet) must be refused, and m left alone. */
static void
icmp4_refused(const uint8_t *b, size_t len)
{
	struct rte_mbuf *m = mk(b, len);

	CHECK_EQ(dsa_icmp4_error(m, 3, 4, 1400, rte_cpu_to_be_32(ANCHOR4)), -EINVAL);
	CHECK_EQ(rte_pktmbuf_pkt_len(m), len);
	CHECK(memcmp(dat(m), b, len) == 0);
	rte_pktmbuf_free(m);
}

static void
check_icmp4(const uint8_t *b, size_t len, uint8_t type, uint8_t code, uint16_t mtu)
{
	struct rte_mbuf *m = mk(b, len);
	size_t quoted = RTE_MIN(len, (size_t)576 - 28);
	const uint8_t *d;

	CHECK_EQ(dsa_icmp4_error(m, type, code, mtu, rte_cpu_to_be_32(ANCHOR4)), 0);
	CHECK_EQ(rte_pktmbuf_pkt_len(m), 28 + quoted);
	CHECK(rte_pktmbuf_pkt_len(m) <= 576);
	CHECK_EQ(rte_pktmbuf_data_len(m), rte_pktmbuf_pkt_len(m));
	d = dat(m);
	CHECK_EQ(d[0], 0x45);
	CHECK_EQ(rd16(d + 2), 28 + quoted);
	CHECK_EQ(rd16(d + 6) & 0x3fff, 0); /* no MF, offset 0 */
	CHECK(d[8] > 0);
	CHECK_EQ(d[9], IPPROTO_ICMP);
	CHECK(ip4_csum_ok(d));
	CHECK_EQ(rd32(d + 12), ANCHOR4);
	CHECK_EQ(rd32(d + 16), rd32(b + 12)); /* back to the packet's source */
	CHECK_EQ(d[20], type);
	CHECK_EQ(d[21], code);
	CHECK_EQ(rd16(d + 24), 0); /* unused */
	CHECK_EQ(rd16(d + 26), mtu);
	CHECK(csum_ok(d + 20, 8 + quoted));
	CHECK(memcmp(d + 28, b, quoted) == 0);
	rte_pktmbuf_free(m);
}

static void
test_icmp4(void)
{
	uint8_t b[2048], pl[2048];
	size_t len;

	static const size_t sizes[] = { 28, 101, 548, 549, 1500 };
	for (unsigned int i = 0; i < RTE_DIM(sizes); i++) {
		set_ctx("icmp4 frag needed about %zu bytes", sizes[i]);
		len = inner_pkt(b, AF_INET, 0x10, true, 7, sizes[i]);
		check_icmp4(b, len, 3, 4, 1400);
		set_ctx("icmp4 time exceeded about %zu bytes", sizes[i]);
		check_icmp4(b, len, 11, 0, 0);
	}

	set_ctx("icmp4 about an echo request");
	len = put_ip4(b, 5, 0, 0, 1, IPPROTO_ICMP, MN4, CN4, pl, put_icmp(pl, 8, 56));
	check_icmp4(b, len, 11, 0, 0);

	set_ctx("icmp4 about a first fragment");
	put_udp(pl, 1, 2, 200, 0);
	len = put_ip4(b, 5, 0, RTE_IPV4_HDR_MF_FLAG, 1, IPPROTO_UDP, MN4, CN4, pl, 208);
	check_icmp4(b, len, 11, 0, 0);

	set_ctx("icmp4 about IPv4 with options");
	len = put_ip4(b, 9, 0, 0, 1, IPPROTO_UDP, MN4, CN4, pl, 208);
	check_icmp4(b, len, 11, 0, 0);

	set_ctx("icmp4 refused: about an ICMP error");
	len = put_ip4(b, 5, 0, 0, 1, IPPROTO_ICMP, MN4, CN4, pl, put_icmp(pl, 3, 28));
	icmp4_refused(b, len);
	len = put_ip4(b, 5, 0, 0, 1, IPPROTO_ICMP, MN4, CN4, pl, put_icmp(pl, 11, 28));
	icmp4_refused(b, len);

	set_ctx("icmp4 refused: non-first fragment");
	put_udp(pl, 1, 2, 200, 0);
	len = put_ip4(b, 5, 0, 25, 1, IPPROTO_UDP, MN4, CN4, pl, 208);
	icmp4_refused(b, len);
	len = put_ip4(b, 5, 0, RTE_IPV4_HDR_MF_FLAG | 1, 1, IPPROTO_UDP, MN4, CN4, pl, 208);
	icmp4_refused(b, len);

	static const uint32_t bad_src[] = { 0xe0000005, 0xefffffff, 0, 0xffffffff, 0x7f000001 };
	for (unsigned int i = 0; i < RTE_DIM(bad_src); i++) {
		set_ctx("icmp4 refused: source 0x%08x", bad_src[i]);
		len = put_ip4(b, 5, 0, 0, 1, IPPROTO_UDP, bad_src[i], CN4, pl, 208);
		icmp4_refused(b, len);
	}
}

static void
icmp6_refused(const uint8_t *b, size_t len)
{
	struct rte_mbuf *m = mk(b, len);

	CHECK_EQ(dsa_icmp6_error(m, 2, 0, 1400, anchor6), -EINVAL);
	CHECK_EQ(rte_pktmbuf_pkt_len(m), len);
	CHECK(memcmp(dat(m), b, len) == 0);
	rte_pktmbuf_free(m);
}

static void
check_icmp6(const uint8_t *b, size_t len, uint8_t type, uint8_t code, uint32_t mtu)
{
	struct rte_mbuf *m = mk(b, len);
	size_t quoted = RTE_MIN(len, (size_t)1280 - 48);
	const uint8_t *d;

	CHECK_EQ(dsa_icmp6_error(m, type, code, mtu, anchor6), 0);
	CHECK_EQ(rte_pktmbuf_pkt_len(m), 48 + quoted);
	CHECK(rte_pktmbuf_pkt_len(m) <= 1280);
	CHECK_EQ(rte_pktmbuf_data_len(m), rte_pktmbuf_pkt_len(m));
	d = dat(m);
	CHECK_EQ(d[0] >> 4, 6);
	CHECK_EQ(rd16(d + 4), 8 + quoted);
	CHECK_EQ(d[6], IPPROTO_ICMPV6);
	CHECK(d[7] > 0);
	CHECK(memcmp(d + 8, anchor6, 16) == 0);
	CHECK(memcmp(d + 24, b + 8, 16) == 0); /* back to the packet's source */
	CHECK_EQ(d[40], type);
	CHECK_EQ(d[41], code);
	CHECK_EQ(rd32(d + 44), mtu);
	CHECK(icmp6_csum_ok(d + 8, d + 24, IPPROTO_ICMPV6, d + 40, 8 + quoted));
	CHECK(memcmp(d + 48, b, quoted) == 0);
	rte_pktmbuf_free(m);
}

static void
test_icmp6(void)
{
	uint8_t b[2048], pl[2048];
	size_t len;

	static const size_t sizes[] = { 48, 101, 1232, 1233, 1500 };
	for (unsigned int i = 0; i < RTE_DIM(sizes); i++) {
		set_ctx("icmp6 packet too big about %zu bytes", sizes[i]);
		len = inner_pkt(b, AF_INET6, 0, false, 7, sizes[i]);
		check_icmp6(b, len, 2, 0, 1400);
		set_ctx("icmp6 time exceeded about %zu bytes", sizes[i]);
		check_icmp6(b, len, 3, 0, 0);
	}

	set_ctx("icmp6 about an echo request");
	len = put_ip6(b, 0, 0, 1, mn6, cn6, NULL, 0, IPPROTO_ICMPV6, pl, put_icmp(pl, 128, 56));
	check_icmp6(b, len, 3, 0, 0);

	static const uint8_t dst1[1] = { IPPROTO_DSTOPTS };
	set_ctx("icmp6 about extension headers + UDP");
	len = put_ip6(b, 0, 0, 1, mn6, cn6, dst1, 1, IPPROTO_UDP, pl, put_udp(pl, 1, 2, 64, 0));
	check_icmp6(b, len, 3, 0, 0);

	set_ctx("icmp6 refused: about an ICMPv6 error");
	len = put_ip6(b, 0, 0, 1, mn6, cn6, NULL, 0, IPPROTO_ICMPV6, pl, put_icmp(pl, 1, 48));
	icmp6_refused(b, len);
	len = put_ip6(b, 0, 0, 1, mn6, cn6, NULL, 0, IPPROTO_ICMPV6, pl, put_icmp(pl, 2, 48));
	icmp6_refused(b, len);

	set_ctx("icmp6 refused: about an ICMPv6 error behind a destination options header");
	len = put_ip6(b, 0, 0, 1, mn6, cn6, dst1, 1, IPPROTO_ICMPV6, pl, put_icmp(pl, 3, 48));
	icmp6_refused(b, len);

	static const uint8_t mcast[16] = { 0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
	static const uint8_t unspec[16] = { 0 };
	set_ctx("icmp6 refused: multicast source");
	put_udp(pl, 1, 2, 64, 0);
	len = put_ip6(b, 0, 0, 1, mcast, cn6, NULL, 0, IPPROTO_UDP, pl, 72);
	icmp6_refused(b, len);
	set_ctx("icmp6 refused: unspecified source");
	len = put_ip6(b, 0, 0, 1, unspec, cn6, NULL, 0, IPPROTO_UDP, pl, 72);
	icmp6_refused(b, len);

	/* The contract in dsa_tunnel.h: "-EINVAL when no error may be sent about
	 * this packet (an ICMP error, a non-first fragment, ...)". */
	static const uint8_t frag[1] = { IPPROTO_FRAGMENT };
	set_ctx("icmp6 refused: non-first fragment");
	frag_field = 100 << 3 | 1; /* offset 800, M */
	put_udp(pl, 1, 2, 64, 0);
	len = put_ip6(b, 0, 0, 1, mn6, cn6, frag, 1, IPPROTO_UDP, pl, 72);
	icmp6_refused(b, len);
	set_ctx("icmp6 refused: first fragment of an ICMPv6 error");
	frag_field = 0 << 3 | 1; /* offset 0, M */
	len = put_ip6(b, 0, 0, 1, mn6, cn6, frag, 1, IPPROTO_ICMPV6, pl, put_icmp(pl, 1, 48));
	icmp6_refused(b, len);
}

/* A packet split over several mbufs of seg bytes each. */
static struct rte_mbuf *
mk_chain(const uint8_t *b, size_t len, size_t seg)
{
	struct rte_mbuf *head = NULL;

	for (size_t o = 0; o < len; o += seg) {
		struct rte_mbuf *m = mk(b + o, RTE_MIN(seg, len - o));

		if (head == NULL)
			head = m;
		else if (rte_pktmbuf_chain(head, m) != 0)
			exit(2);
	}
	return head;
}

/* ICMP errors about a chained (e.g. reassembled) packet: cut, then joined. */
static void
test_icmp_chained(void)
{
	static uint8_t b[4000];
	struct rte_mbuf *m;
	size_t len;
	const uint8_t *d;

	static const size_t segs[] = { 500, 548, 100, 1000 };
	for (unsigned int i = 0; i < RTE_DIM(segs); i++) {
		set_ctx("icmp4 about a chain of %zu-byte segments", segs[i]);
		len = inner_pkt(b, AF_INET, 0, true, 7, 1500);
		m = mk_chain(b, len, segs[i]);
		CHECK_EQ(dsa_icmp4_error(m, 3, 4, 1400, rte_cpu_to_be_32(ANCHOR4)), 0);
		CHECK_EQ(rte_pktmbuf_pkt_len(m), 576);
		CHECK(rte_pktmbuf_is_contiguous(m));
		CHECK_EQ(m->nb_segs, 1);
		d = dat(m);
		CHECK(ip4_csum_ok(d));
		CHECK_EQ(rd16(d + 2), 576);
		CHECK(csum_ok(d + 20, 556));
		CHECK(memcmp(d + 28, b, 548) == 0);
		rte_pktmbuf_free(m);

		set_ctx("icmp6 about a chain of %zu-byte segments", segs[i]);
		len = inner_pkt(b, AF_INET6, 0, false, 7, 3000);
		m = mk_chain(b, len, segs[i] * 2);
		CHECK_EQ(dsa_icmp6_error(m, 2, 0, 1280, anchor6), 0);
		CHECK_EQ(rte_pktmbuf_pkt_len(m), 1280);
		CHECK(rte_pktmbuf_is_contiguous(m));
		d = dat(m);
		CHECK_EQ(rd16(d + 4), 1240);
		CHECK(icmp6_csum_ok(d + 8, d + 24, IPPROTO_ICMPV6, d + 40, 1240));
		CHECK(memcmp(d + 48, b, 1232) == 0);
		rte_pktmbuf_free(m);
	}
}

/* dsa_outer_fragment: an encapsulated packet cut to a small tunnel MTU. */
static void
test_outer_fragment(void)
{
	static uint8_t b[4000], fb[2048], re[4000];
	struct rte_mbuf *m, *out[16];
	uint16_t id = 0x4242;
	size_t len;
	int n;

	for (int oi = 0; oi < 2; oi++) {
		uint8_t outer = oi ? AF_INET : AF_INET6;
		struct dsa_fwd f = mkfwd(outer, false);
		const uint16_t mtu = 1280;
		unsigned int ohl = outer == AF_INET ? 20 : 40, got = 0;
		size_t olen;

		set_ctx("outer_fragment outer=%s", afs(outer));
		len = inner_pkt(b, AF_INET6, 0, false, 9, 1280);
		m = mk(b, len);
		CHECK_EQ(dsa_encap(m, &f, AF_INET6, &params_normal, &id), DSA_DROP_NONE);
		olen = rte_pktmbuf_pkt_len(m);
		static uint8_t ob[2048];
		memcpy(ob, dat(m), olen);
		n = dsa_outer_fragment(m, mtu, out, RTE_DIM(out), pool, ipool);
		CHECK_EQ(n, 2);
		for (int i = 0; i < n; i++) {
			uint32_t fl = rte_pktmbuf_pkt_len(out[i]);
			const uint8_t *d = rte_pktmbuf_read(out[i], 0, fl, fb);
			unsigned int off, hl;
			bool mf;

			CHECK(fl <= mtu);
			if (outer == AF_INET) {
				hl = (d[0] & 0xf) * 4u;
				CHECK(ip4_csum_ok(d));
				CHECK_EQ(rd16(d + 2), fl);
				CHECK_EQ(rd16(d + 6) & RTE_IPV4_HDR_DF_FLAG, 0);
				CHECK_EQ(d[9], DSA_PROTO_IPV6);
				off = (rd16(d + 6) & RTE_IPV4_HDR_OFFSET_MASK) * 8u;
				mf = rd16(d + 6) & RTE_IPV4_HDR_MF_FLAG;
			} else {
				hl = 48;
				CHECK_EQ(rd16(d + 4), fl - 40);
				CHECK_EQ(d[6], IPPROTO_FRAGMENT);
				CHECK_EQ(d[40], DSA_PROTO_IPV6);
				CHECK(memcmp(d + 8, ob + 8, 32) == 0);
				off = rd16(d + 42) & 0xfff8;
				mf = rd16(d + 42) & 1;
			}
			CHECK_EQ(off, got);
			CHECK_EQ(mf, i < n - 1);
			if (got + fl - hl <= sizeof(re))
				memcpy(re + got, d + hl, fl - hl);
			got += fl - hl;
			rte_pktmbuf_free(out[i]);
		}
		CHECK_EQ(got, olen - ohl);
		CHECK(memcmp(re, ob + ohl, olen - ohl) == 0);
	}
}

/* ---------------------------------------------------------------- */
/* Sizes against the MTU, and fragmentation                          */

static void
test_mtu_sizes(void)
{
	static const uint8_t afl[2] = { AF_INET6, AF_INET };

	for (int oi = 0; oi < 2; oi++)
		for (int gre = 0; gre < 2; gre++)
			for (int ii = 0; ii < 2; ii++)
				for (int delta = -1; delta <= 1; delta++) {
					struct dsa_fwd f = mkfwd(afl[oi], gre);
					unsigned int tmtu = f.mtu - dsa_fwd_overhead(&f);
					size_t ilen = tmtu + delta;
					uint8_t b[2048];
					size_t len = inner_pkt(b, afl[ii], 0, true, 9, ilen);
					struct rte_mbuf *m = mk(b, len);
					uint16_t id = 0;

					set_ctx("mtu outer=%s gre=%d inner=%s size=tunnel mtu%+d",
					        afs(afl[oi]), gre, afs(afl[ii]), delta);
					CHECK_EQ(dsa_encap(m, &f, afl[ii], &params_normal, &id),
					        DSA_DROP_NONE);
					CHECK_EQ(rte_pktmbuf_pkt_len(m), f.mtu + delta);
					CHECK_EQ(rte_pktmbuf_pkt_len(m) <= f.mtu, delta <= 0);
					rte_pktmbuf_free(m);
				}
}

/* Fragment an IPv4 packet and check the pieces. */
static void
check_fragment(const uint8_t *b, size_t len, uint16_t mtu)
{
	unsigned int hl = (b[0] & 0xf) * 4u, plen = (unsigned int)len - hl;
	unsigned int fpl = (mtu - hl) & ~7u; /* payload bytes per non-last fragment */
	unsigned int nexp = (plen + fpl - 1) / fpl;
	struct rte_mbuf *m = mk_in(big, b, len), *out[64];
	unsigned int avail = rte_mempool_avail_count(pool), got = 0;
	static uint8_t re[10000], fb[2048];
	int n;

	n = dsa_ip4_fragment(m, mtu, out, RTE_DIM(out), pool, ipool);
	if (hl == 20)
		CHECK_EQ(n, nexp); /* with options, later fragments carry fewer of them */
	else
		CHECK(n >= 2);
	if (n <= 0)
		return;
	for (int i = 0; i < n; i++) {
		uint32_t fl = rte_pktmbuf_pkt_len(out[i]);
		const uint8_t *d = rte_pktmbuf_read(out[i], 0, fl, fb);
		unsigned int fhl = (d[0] & 0xf) * 4u, off = rd16(d + 6) & RTE_IPV4_HDR_OFFSET_MASK;
		bool mf = rd16(d + 6) & RTE_IPV4_HDR_MF_FLAG;

		CHECK(fl <= mtu);
		CHECK_EQ(d[0] >> 4, 4);
		CHECK_EQ(rd16(d + 2), fl);
		CHECK(ip4_csum_ok(d));
		CHECK_EQ(rd16(d + 4), rd16(b + 4)); /* same ID */
		CHECK_EQ(rd16(d + 6) & RTE_IPV4_HDR_DF_FLAG, 0);
		CHECK_EQ(mf, i < n - 1);
		CHECK_EQ(off * 8, got);
		CHECK_EQ(d[9], b[9]);
		CHECK(memcmp(d + 12, b + 12, 8) == 0);
		if (i == 0)
			CHECK(memcmp(d + 20, b + 20, hl - 20) == 0); /* all options */
		if (i < n - 1)
			CHECK_EQ((fl - fhl) % 8, 0);
		if (got + fl - fhl <= sizeof(re))
			memcpy(re + got, d + fhl, fl - fhl);
		got += fl - fhl;
		rte_pktmbuf_free(out[i]);
	}
	CHECK_EQ(got, plen);
	CHECK(memcmp(re, b + hl, plen) == 0);
	CHECK_EQ(rte_mempool_avail_count(pool), avail);
	CHECK_EQ(rte_mempool_avail_count(big), BIG_N);
	CHECK_EQ(rte_mempool_avail_count(ipool), POOL_N);
}

static void
test_fragment(void)
{
	static uint8_t b[10000], pl[10000];
	struct rte_mbuf *m, *out[64];
	size_t len;

	static const struct {
		size_t len;
		uint16_t mtu;
		uint8_t ihl;
	} cases[] = {
		{ 1461, 1460, 5 },
		{ 1461, 1452, 5 },
		{ 3000, 1280, 5 },
		{ 9000, 1500, 5 },
		{ 1000, 576, 5 },
		{ 577, 576, 5 },
		{ 1500, 1472, 7 },
		{ 2000, 576, 15 },
	};
	for (unsigned int i = 0; i < RTE_DIM(cases); i++) {
		set_ctx("fragment %zu bytes ihl %u to mtu %u", cases[i].len, cases[i].ihl,
		        cases[i].mtu);
		size_t hl = cases[i].ihl * 4u;
		put_udp(pl, 5, 6, cases[i].len - hl - 8, 0x77);
		len = put_ip4(
		        b, cases[i].ihl, 0x12, 0, 64, IPPROTO_UDP, MN4, CN4, pl, cases[i].len - hl);
		check_fragment(b, len, cases[i].mtu);
	}

	/* MTU+1 past a tunnel: fragment to the tunnel MTU, then encapsulate each. */
	static const uint8_t afl[2] = { AF_INET6, AF_INET };
	for (int oi = 0; oi < 2; oi++)
		for (int gre = 0; gre < 2; gre++) {
			struct dsa_fwd f = mkfwd(afl[oi], gre);
			uint16_t tmtu = (uint16_t)(f.mtu - dsa_fwd_overhead(&f)), id = 0;
			int n;

			set_ctx("fragment then encap outer=%s gre=%d", afs(afl[oi]), gre);
			len = inner_pkt(b, AF_INET, 0, false, 9, tmtu + 1u);
			m = mk(b, len);
			n = dsa_ip4_fragment(m, tmtu, out, RTE_DIM(out), pool, ipool);
			CHECK_EQ(n, 2);
			for (int i = 0; i < n; i++) {
				CHECK(rte_pktmbuf_pkt_len(out[i]) <= tmtu);
				CHECK_EQ(dsa_encap(out[i], &f, AF_INET, &params_normal, &id),
				        DSA_DROP_NONE);
				CHECK(rte_pktmbuf_pkt_len(out[i]) <= f.mtu);
				rte_pktmbuf_free(out[i]);
			}
		}

	set_ctx("fragment DF set");
	len = inner_pkt(b, AF_INET, 0, true, 9, 1500);
	m = mk(b, len);
	CHECK(dsa_ip4_fragment(m, 1280, out, RTE_DIM(out), pool, ipool) < 0);

	set_ctx("fragment: too few output slots");
	len = inner_pkt(b, AF_INET, 0, false, 9, 1500);
	m = mk(b, len);
	CHECK(dsa_ip4_fragment(m, 576, out, 2, pool, ipool) < 0);
}

/* ---------------------------------------------------------------- */

int
main(int argc, char **argv)
{
	char prefix[64];
	char *eal[] = { argv[0], "--no-huge", "-m", "1024", "--no-pci", "--file-prefix", prefix,
		"-l", "0-1", "--log-level", "warning" };

	(void)argc;
	snprintf(prefix, sizeof(prefix), "dsa-unit-tunnel-%d", (int)getpid());
	if (rte_eal_init(RTE_DIM(eal), eal) < 0) {
		fprintf(stderr, "rte_eal_init: %s\n", rte_strerror(rte_errno));
		return 2;
	}
	pool = rte_pktmbuf_pool_create(
	        "tun_pool", POOL_N, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	big = rte_pktmbuf_pool_create(
	        "tun_big", BIG_N, 0, 0, 10240 + RTE_PKTMBUF_HEADROOM, SOCKET_ID_ANY);
	ipool = rte_pktmbuf_pool_create("tun_ind", POOL_N, 0, 0, 0, SOCKET_ID_ANY);
	if (pool == NULL || big == NULL || ipool == NULL) {
		fprintf(stderr, "mbuf pools: %s\n", rte_strerror(rte_errno));
		return 2;
	}

	test_encap_matrix();
	test_encap_no_headroom();
	test_flow_label();
	test_ip4_options();
	test_ip6_ext();
	test_decap_roundtrip();
	test_decap_gre();
	test_decap_ext();
	test_decap_bad_inner();
	test_ip_check();
	test_ecn();
	test_ttl();
	test_outer_matches();
	test_icmp4();
	test_icmp6();
	test_icmp_chained();
	test_outer_fragment();
	test_mtu_sizes();
	test_fragment();

	set_ctx("mbuf leak");
	CHECK_EQ(rte_mempool_avail_count(pool), POOL_N);
	CHECK_EQ(rte_mempool_avail_count(big), BIG_N);
	CHECK_EQ(rte_mempool_avail_count(ipool), POOL_N);

	rte_mempool_free(pool);
	rte_mempool_free(big);
	rte_mempool_free(ipool);
	rte_eal_cleanup();
	return check_summary();
}
