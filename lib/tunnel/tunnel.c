/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>

#include <rte_icmp.h>
#include <rte_ip_frag.h>
#include <rte_ip.h>

#include "dsa_tunnel.h"

/* RFC 1812 §4.3.2.3: an ICMP error datagram is at most 576 bytes. */
#define ICMP4_MAX 576
/* RFC 4443 §2.4(c): as much of the packet as fits in the minimum MTU. */
#define ICMP6_MAX 1280

static bool
icmp4_is_error(const struct rte_mbuf *m, const struct rte_ipv4_hdr *ip)
{
	unsigned int hlen = (ip->version_ihl & 0xf) * 4;
	const uint8_t *t;

	if (ip->next_proto_id != IPPROTO_ICMP)
		return false;
	if (rte_pktmbuf_data_len(m) < hlen + 1)
		return true; /* cannot tell: treat as an error, send nothing */
	t = rte_pktmbuf_mtod_offset(m, const uint8_t *, hlen);
	return *t != RTE_IP_ICMP_ECHO_REQUEST && *t != RTE_IP_ICMP_ECHO_REPLY && *t != 13 &&
	       *t != 14 && *t != 17 && *t != 18;
}

/*
 * Cut m down to its first keep bytes, in one segment. A reassembled packet
 * can be a long chain: drop the segments past keep first, so what is left
 * fits the first buffer when it is joined.
 */
static int
keep_head(struct rte_mbuf *m, uint32_t keep)
{
	struct rte_mbuf *seg = m, *rest;
	uint32_t len = 0;

	if (rte_pktmbuf_pkt_len(m) > keep) {
		while (len + seg->data_len < keep) {
			len += seg->data_len;
			seg = seg->next;
		}
		seg->data_len = keep - len;
		rest = seg->next;
		seg->next = NULL;
		rte_pktmbuf_free(rest);
		m->pkt_len = keep;
		m->nb_segs = 0;
		for (seg = m; seg != NULL; seg = seg->next)
			m->nb_segs++;
	}
	if (!rte_pktmbuf_is_contiguous(m) && rte_pktmbuf_linearize(m) != 0)
		return -ENOMEM;
	return 0;
}

int
dsa_icmp4_error(struct rte_mbuf *m, uint8_t type, uint8_t code, uint16_t mtu, rte_be32_t src)
{
	const struct rte_ipv4_hdr *orig = rte_pktmbuf_mtod(m, const struct rte_ipv4_hdr *);
	const unsigned int hdrs = sizeof(struct rte_ipv4_hdr) + sizeof(struct rte_icmp_hdr);
	struct rte_ipv4_hdr *ip;
	struct rte_icmp_hdr *icmp;
	rte_be32_t dst = orig->src_addr;
	uint32_t h = rte_be_to_cpu_32(dst);

	if ((orig->fragment_offset & rte_cpu_to_be_16(RTE_IPV4_HDR_OFFSET_MASK)) != 0 ||
	        icmp4_is_error(m, orig) || h == 0 || (h >> 28) == 0xe || h == 0xffffffff ||
	        (h >> 24) == 127)
		return -EINVAL;
	if (keep_head(m, ICMP4_MAX - hdrs) != 0)
		return -ENOMEM;
	ip = (struct rte_ipv4_hdr *)rte_pktmbuf_prepend(m, hdrs);
	if (ip == NULL)
		return -ENOMEM;
	icmp = (struct rte_icmp_hdr *)(ip + 1);
	icmp->icmp_type = type;
	icmp->icmp_code = code;
	icmp->icmp_cksum = 0;
	/* Fragmentation Needed carries the next-hop MTU in the low half (RFC 1191). */
	icmp->icmp_ident = 0;
	icmp->icmp_seq_nb = rte_cpu_to_be_16(mtu);
	icmp->icmp_cksum = ~rte_raw_cksum(icmp, rte_pktmbuf_pkt_len(m) - sizeof(*ip));
	if (icmp->icmp_cksum == 0)
		icmp->icmp_cksum = 0xffff;
	ip->version_ihl = 0x45;
	ip->type_of_service = 0xc0; /* CS6, network control */
	ip->total_length = rte_cpu_to_be_16(rte_pktmbuf_pkt_len(m));
	ip->packet_id = 0;
	ip->fragment_offset = 0;
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_ICMP;
	ip->src_addr = src;
	ip->dst_addr = dst;
	ip->hdr_checksum = 0;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	return 0;
}

int
dsa_icmp6_error(struct rte_mbuf *m, uint8_t type, uint8_t code, uint32_t mtu, const uint8_t *src)
{
	const struct rte_ipv6_hdr *orig = rte_pktmbuf_mtod(m, const struct rte_ipv6_hdr *);
	const unsigned int hdrs = sizeof(struct rte_ipv6_hdr) + 8;
	static const uint8_t unspec[16];
	struct rte_ipv6_hdr *ip6;
	uint8_t dst[16], *icmp;
	unsigned int off;
	int proto;

	memcpy(dst, orig->src_addr, 16);
	if (dst[0] == 0xff || memcmp(dst, unspec, 16) == 0)
		return -EINVAL;
	proto = dsa_ip6_upper(m, &off);
	if (proto == DSA_PROTO_FRAG) {
		const struct rte_ipv6_fragment_ext *fh;

		/* Only a first fragment may be answered, and only if what it
		 * starts is not an ICMPv6 error. */
		if (off + sizeof(*fh) > rte_pktmbuf_data_len(m))
			return -EINVAL;
		fh = rte_pktmbuf_mtod_offset(m, const struct rte_ipv6_fragment_ext *, off);
		if (RTE_IPV6_GET_FO(rte_be_to_cpu_16(fh->frag_data)) != 0)
			return -EINVAL;
		proto = fh->next_header;
		off += sizeof(*fh);
	}
	if (proto == IPPROTO_ICMPV6) {
		/* Types below 128 are errors (RFC 4443 §2.4(e)). */
		if (off + 1 > rte_pktmbuf_data_len(m) ||
		        *rte_pktmbuf_mtod_offset(m, const uint8_t *, off) < 128)
			return -EINVAL;
	}
	if (keep_head(m, ICMP6_MAX - hdrs) != 0)
		return -ENOMEM;
	ip6 = (struct rte_ipv6_hdr *)rte_pktmbuf_prepend(m, hdrs);
	if (ip6 == NULL)
		return -ENOMEM;
	ip6->vtc_flow = rte_cpu_to_be_32(6u << 28);
	ip6->payload_len = rte_cpu_to_be_16(rte_pktmbuf_pkt_len(m) - sizeof(*ip6));
	ip6->proto = IPPROTO_ICMPV6;
	ip6->hop_limits = 64;
	memcpy(ip6->src_addr, src, 16);
	memcpy(ip6->dst_addr, dst, 16);
	icmp = (uint8_t *)(ip6 + 1);
	icmp[0] = type;
	icmp[1] = code;
	icmp[2] = icmp[3] = 0;
	*(rte_be32_t *)(icmp + 4) = rte_cpu_to_be_32(mtu);
	*(uint16_t *)(icmp + 2) = rte_ipv6_udptcp_cksum(ip6, icmp);
	return 0;
}

int
dsa_outer_fragment(struct rte_mbuf *m, uint16_t mtu, struct rte_mbuf **out, unsigned int max,
        struct rte_mempool *direct, struct rte_mempool *indirect)
{
	int n;

	if ((rte_pktmbuf_mtod(m, const uint8_t *)[0] >> 4) == 4) {
		struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod(m, struct rte_ipv4_hdr *);

		ip->fragment_offset &= ~rte_cpu_to_be_16(RTE_IPV4_HDR_DF_FLAG);
		return dsa_ip4_fragment(m, mtu, out, max, direct, indirect);
	}
	n = rte_ipv6_fragment_packet(m, out, max, mtu, direct, indirect);
	rte_pktmbuf_free(m);
	return n;
}

int
dsa_ip4_fragment(struct rte_mbuf *m, uint16_t mtu, struct rte_mbuf **out, unsigned int max,
        struct rte_mempool *direct, struct rte_mempool *indirect)
{
	int n;

	n = rte_ipv4_fragment_packet(m, out, max, mtu, direct, indirect);
	rte_pktmbuf_free(m);
	if (n < 0)
		return n;
	for (int i = 0; i < n; i++) {
		struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod(out[i], struct rte_ipv4_hdr *);

		ip->hdr_checksum = 0;
		ip->hdr_checksum = rte_ipv4_cksum(ip);
	}
	return n;
}
