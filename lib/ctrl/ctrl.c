/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdio.h>
#include <time.h>

#include <rte_arp.h>
#include <rte_cycles.h>
#include <rte_hash_crc.h>
#include <rte_icmp.h>
#include <rte_log.h>

#include "dsa_ctrl.h"
#include "dsa_lma.h"

RTE_LOG_REGISTER_SUFFIX(ctrl_logtype, ctrl, NOTICE);
#define LOG(level, ...) rte_log(RTE_LOG_##level, ctrl_logtype, "ctrl: " __VA_ARGS__)

const char *const dsa_ctrl_counter_names[DSA_CTRL_MAX] = {
#define X(e, n, h) [DSA_CTRL_##e] = #n,
	DSA_CTRL_COUNTERS(X)
#undef X
};

#define ND_NS               135
#define ND_NA               136
#define ND_OPT_SRC_LL       1
#define ND_OPT_TGT_LL       2
#define ICMP6_ECHO_REQUEST  128
#define ICMP6_ECHO_REPLY    129
#define RESOLVE_INTERVAL_MS 100

/* -- bindings ------------------------------------------------------------- */

static void
bind_keys(const struct dsa_binding_cfg *b, struct dsa_bind_key *keys, unsigned int *n)
{
	*n = 0;
	if (b->has_hoa4)
		dsa_bind_key_v4(&keys[(*n)++], b->hoa4);
	if (b->has_hnp)
		dsa_bind_key_v6p(&keys[(*n)++], b->hnp.addr.v6);
	if (b->has_hoa6)
		dsa_bind_key_v6h(&keys[(*n)++], b->hoa6.v6);
}

int
dsa_ctrl_binding_set(
        struct dsa_ctrl *c, const struct dsa_binding_cfg *b, uint32_t id, char *err, size_t errlen)
{
	const struct dsa_nh *nht = dsa_route_nh_table(c->rt);
	const struct dsa_port_info *port;
	struct dsa_bind_key keys[3];
	struct dsa_fwd f = { 0 };
	char a[DSA_ADDR_STRLEN];
	unsigned int nk, done;
	uint16_t nh;
	int ret;

	nh = dsa_route_lookup(c->rt, &b->coa);
	if (nh == 0 || (nht[nh].type != DSA_NH_FWD && nht[nh].type != DSA_NH_GLEAN)) {
		snprintf(err, errlen, "no route to care-of address %s",
		        dsa_addr_fmt(&b->coa, a, sizeof(a)));
		return -EHOSTUNREACH;
	}
	if (nht[nh].type == DSA_NH_GLEAN) {
		/* On-link care-of address: give it a next hop of its own. */
		struct dsa_prefix host = { .addr = b->coa, .len = b->coa.af == AF_INET ? 32 : 128 };

		ret = dsa_route_add(c->rt, &host, DSA_NH_FWD, &b->coa, nht[nh].port, nht[nh].mtu);
		if (ret < 0) {
			snprintf(err, errlen, "cannot add a next hop for %s: %s",
			        dsa_addr_fmt(&b->coa, a, sizeof(a)), strerror(-ret));
			return ret;
		}
		nh = dsa_route_lookup(c->rt, &b->coa);
	}
	port = &c->dp->ports[nht[nh].port];
	f.outer_af = b->coa.af;
	f.nh = nh;
	f.mtu = nht[nh].mtu;
	f.id = id;
	if (b->has_gre_key) {
		f.flags |= DSA_FWD_GRE;
		f.gre_key = rte_cpu_to_be_32(b->gre_key);
		f.gre_key_in = rte_cpu_to_be_32(b->has_gre_key_in ? b->gre_key_in : b->gre_key);
	}
	if (b->coa.af == AF_INET) {
		if (!c->has_anchor4 && !port->has_v4) {
			snprintf(err, errlen, "no IPv4 address to tunnel from");
			return -EADDRNOTAVAIL;
		}
		f.outer.v4.src = c->has_anchor4 ? c->anchor4 : port->v4;
		f.outer.v4.dst = b->coa.v4;
	} else {
		if (!c->has_anchor6 && !port->has_v6) {
			snprintf(err, errlen, "no IPv6 address to tunnel from");
			return -EADDRNOTAVAIL;
		}
		memcpy(f.outer.v6.src, c->has_anchor6 ? c->anchor6 : port->v6, 16);
		memcpy(f.outer.v6.dst, b->coa.v6, 16);
	}

	bind_keys(b, keys, &nk);
	for (done = 0; done < nk; done++) {
		ret = dsa_bind_set(c->bt, &keys[done], &f);
		if (ret < 0)
			break;
	}
	if (done == nk)
		return 0;
	/* All or nothing: take back the keys already set. */
	while (done-- > 0)
		dsa_bind_del(c->bt, &keys[done]);
	snprintf(err, errlen, "%s",
	        ret == -ENOSPC ? "binding table full (insufficient resources)" : strerror(-ret));
	return ret;
}

int
dsa_ctrl_binding_del(struct dsa_ctrl *c, const struct dsa_binding_cfg *b)
{
	struct dsa_bind_key keys[3];
	unsigned int nk;
	int found = 0;

	bind_keys(b, keys, &nk);
	for (unsigned int i = 0; i < nk; i++)
		if (dsa_bind_del(c->bt, &keys[i]) == 0)
			found++;
	return found ? 0 : -ENOENT;
}

/* -- sending -------------------------------------------------------------- */

void
dsa_ctrl_send(
        struct dsa_ctrl *c, struct dsa_pipeline *pl, struct rte_mbuf *m, unsigned int port_idx)
{
	m->port = c->dp->ports[port_idx].port_id;
	if (rte_ring_sp_enqueue(pl->inject, m) != 0) {
		c->stats[DSA_CTRL_INJECT_FULL]++;
		rte_pktmbuf_free(m);
	}
}

static void
solicited_node(const uint8_t *target, uint8_t *ip, struct rte_ether_addr *mac)
{
	static const uint8_t pfx[13] = { 0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0xff };

	memcpy(ip, pfx, 13);
	memcpy(ip + 13, target + 13, 3);
	mac->addr_bytes[0] = 0x33;
	mac->addr_bytes[1] = 0x33;
	memcpy(&mac->addr_bytes[2], ip + 12, 4);
}

uint8_t *
dsa_ctrl_ip6_frame(struct rte_mbuf *m, const struct dsa_port_info *port,
        const struct rte_ether_addr *dmac, const uint8_t *src, const uint8_t *dst, uint8_t proto,
        uint8_t hop_limit, uint16_t payload_len)
{
	struct rte_ether_hdr *eth;
	struct rte_ipv6_hdr *ip6;

	eth = (struct rte_ether_hdr *)rte_pktmbuf_append(
	        m, sizeof(*eth) + sizeof(*ip6) + payload_len);
	if (eth == NULL)
		return NULL;
	ip6 = (struct rte_ipv6_hdr *)(eth + 1);
	rte_ether_addr_copy(dmac, &eth->dst_addr);
	rte_ether_addr_copy(&port->mac, &eth->src_addr);
	eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV6);
	ip6->vtc_flow = rte_cpu_to_be_32(6u << 28);
	ip6->payload_len = rte_cpu_to_be_16(payload_len);
	ip6->proto = proto;
	ip6->hop_limits = hop_limit;
	memcpy(ip6->src_addr, src, 16);
	memcpy(ip6->dst_addr, dst, 16);
	return (uint8_t *)(ip6 + 1);
}

/* Build an NS (is_na false) or NA into a fresh mbuf. */
static struct rte_mbuf *
build_nd(struct dsa_ctrl *c, const struct dsa_port_info *port, bool is_na, const uint8_t *src,
        const uint8_t *dst, const struct rte_ether_addr *dmac, const uint8_t *target,
        uint32_t na_flags)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(c->dp->pool);
	const unsigned int len = 8 + 16 + 8;
	uint8_t *icmp;

	if (m == NULL) {
		c->stats[DSA_CTRL_NO_MBUF]++;
		return NULL;
	}
	/* RFC 4861: hop limit 255, so the receiver knows it came from the link. */
	icmp = dsa_ctrl_ip6_frame(m, port, dmac, src, dst, IPPROTO_ICMPV6, 255, len);
	memset(icmp, 0, len);
	icmp[0] = is_na ? ND_NA : ND_NS;
	*(rte_be32_t *)(icmp + 4) = rte_cpu_to_be_32(na_flags);
	memcpy(icmp + 8, target, 16);
	icmp[24] = is_na ? ND_OPT_TGT_LL : ND_OPT_SRC_LL;
	icmp[25] = 1;
	memcpy(icmp + 26, &port->mac, 6);
	*(uint16_t *)(icmp + 2) = rte_ipv6_udptcp_cksum(
	        (const struct rte_ipv6_hdr *)(icmp - sizeof(struct rte_ipv6_hdr)), icmp);
	return m;
}

static void
send_arp_request(
        struct dsa_ctrl *c, struct dsa_pipeline *pl, unsigned int port_idx, rte_be32_t target)
{
	const struct dsa_port_info *port = &c->dp->ports[port_idx];
	struct rte_mbuf *m;
	struct rte_ether_hdr *eth;
	struct rte_arp_hdr *arp;

	if (!port->has_v4)
		return;
	m = rte_pktmbuf_alloc(c->dp->pool);
	if (m == NULL) {
		c->stats[DSA_CTRL_NO_MBUF]++;
		return;
	}
	eth = (struct rte_ether_hdr *)rte_pktmbuf_append(m, sizeof(*eth) + sizeof(*arp));
	arp = (struct rte_arp_hdr *)(eth + 1);
	memset(&eth->dst_addr, 0xff, RTE_ETHER_ADDR_LEN);
	rte_ether_addr_copy(&port->mac, &eth->src_addr);
	eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_ARP);
	arp->arp_hardware = rte_cpu_to_be_16(RTE_ARP_HRD_ETHER);
	arp->arp_protocol = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	arp->arp_hlen = RTE_ETHER_ADDR_LEN;
	arp->arp_plen = 4;
	arp->arp_opcode = rte_cpu_to_be_16(RTE_ARP_OP_REQUEST);
	rte_ether_addr_copy(&port->mac, &arp->arp_data.arp_sha);
	arp->arp_data.arp_sip = port->v4;
	memset(&arp->arp_data.arp_tha, 0, RTE_ETHER_ADDR_LEN);
	arp->arp_data.arp_tip = target;
	c->stats[DSA_CTRL_RESOLVE_SENT]++;
	dsa_ctrl_send(c, pl, m, port_idx);
}

static void
resolve(struct dsa_ctrl *c, struct dsa_pipeline *pl, struct rte_mbuf *m, uint16_t nh_idx)
{
	const struct dsa_nh *nh = &dsa_route_nh_table(c->rt)[nh_idx];
	const struct dsa_port_info *port = &c->dp->ports[nh->port];
	struct dsa_addr target;
	uint64_t now = rte_rdtsc();
	unsigned int slot;

	if (nh->type == DSA_NH_FWD)
		target = nh->addr;
	else if ((rte_pktmbuf_mtod(m, uint8_t *)[0] >> 4) == 4)
		dsa_addr_v4(&target, rte_pktmbuf_mtod(m, struct rte_ipv4_hdr *)->dst_addr);
	else
		dsa_addr_v6(&target, rte_pktmbuf_mtod(m, struct rte_ipv6_hdr *)->dst_addr);
	rte_pktmbuf_free(m);

	slot = rte_hash_crc(&target, sizeof(target), 0) % DSA_CTRL_RESOLVE_SLOTS;
	if (dsa_addr_eq(&c->resolve[slot].addr, &target) &&
	        now - c->resolve[slot].last < rte_get_tsc_hz() / 1000 * RESOLVE_INTERVAL_MS) {
		c->stats[DSA_CTRL_RESOLVE_SUPPRESSED]++;
		return;
	}
	c->resolve[slot].addr = target;
	c->resolve[slot].last = now;

	if (target.af == AF_INET) {
		send_arp_request(c, pl, nh->port, target.v4);
	} else if (port->has_v6) {
		struct rte_ether_addr mac;
		uint8_t dst[16];
		struct rte_mbuf *ns;

		solicited_node(target.v6, dst, &mac);
		ns = build_nd(c, port, false, port->v6, dst, &mac, target.v6, 0);
		if (ns != NULL) {
			c->stats[DSA_CTRL_RESOLVE_SENT]++;
			dsa_ctrl_send(c, pl, ns, nh->port);
		}
	}
}

/* -- ARP, ND, echo -------------------------------------------------------- */

static void
learn(struct dsa_ctrl *c, unsigned int port_idx, const struct dsa_addr *a,
        const struct rte_ether_addr *mac, enum dsa_ctrl_counter ctr)
{
	const struct dsa_port_info *port = &c->dp->ports[port_idx];
	const struct dsa_prefix *link = a->af == AF_INET ? &port->link4 : &port->link6;

	if (rte_is_zero_ether_addr(mac) || rte_is_multicast_ether_addr(mac))
		return;
	/* Only a neighbour on the port's own prefix: a host claiming an
	 * off-link address (a correspondent's, say) must not steer its traffic. */
	if (!dsa_prefix_contains(link, a)) {
		c->stats[DSA_CTRL_OFF_LINK]++;
		return;
	}
	if (dsa_route_neigh_set(c->rt, port_idx, a, mac, c->dp->ports[port_idx].mtu) == 0)
		c->stats[ctr]++;
}

static void
handle_arp(struct dsa_ctrl *c, struct dsa_pipeline *pl, struct rte_mbuf *m, unsigned int port_idx)
{
	const struct dsa_port_info *port = &c->dp->ports[port_idx];
	struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	struct rte_arp_hdr *arp = (struct rte_arp_hdr *)(eth + 1);
	struct dsa_addr sender;
	uint16_t op;

	if (rte_pktmbuf_data_len(m) < sizeof(*eth) + sizeof(*arp) ||
	        arp->arp_hardware != rte_cpu_to_be_16(RTE_ARP_HRD_ETHER) ||
	        arp->arp_protocol != rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4) ||
	        arp->arp_hlen != RTE_ETHER_ADDR_LEN || arp->arp_plen != 4) {
		c->stats[DSA_CTRL_MALFORMED]++;
		goto free;
	}
	op = rte_be_to_cpu_16(arp->arp_opcode);
	if (!port->has_v4 || arp->arp_data.arp_tip != port->v4) {
		c->stats[DSA_CTRL_NOT_FOR_US]++;
		goto free;
	}
	dsa_addr_v4(&sender, arp->arp_data.arp_sip);
	if (arp->arp_data.arp_sip != 0)
		learn(c, port_idx, &sender, &arp->arp_data.arp_sha, DSA_CTRL_ARP_LEARNED);
	if (op != RTE_ARP_OP_REQUEST)
		goto free;
	c->stats[DSA_CTRL_ARP_REQUEST_IN]++;
	/* Answer in place. */
	arp->arp_opcode = rte_cpu_to_be_16(RTE_ARP_OP_REPLY);
	rte_ether_addr_copy(&arp->arp_data.arp_sha, &arp->arp_data.arp_tha);
	rte_ether_addr_copy(&port->mac, &arp->arp_data.arp_sha);
	arp->arp_data.arp_tip = arp->arp_data.arp_sip;
	arp->arp_data.arp_sip = port->v4;
	rte_ether_addr_copy(&arp->arp_data.arp_tha, &eth->dst_addr);
	rte_ether_addr_copy(&port->mac, &eth->src_addr);
	c->stats[DSA_CTRL_ARP_REPLY_OUT]++;
	dsa_ctrl_send(c, pl, m, port_idx);
	return;
free:
	rte_pktmbuf_free(m);
}

/* Find an ND option of the given type in [opt, opt+len). */
static const uint8_t *
nd_option(const uint8_t *opt, unsigned int len, uint8_t type)
{
	while (len >= 8) {
		unsigned int olen = opt[1] * 8;

		if (olen == 0 || olen > len)
			return NULL;
		if (opt[0] == type && olen >= 8)
			return opt + 2;
		opt += olen;
		len -= olen;
	}
	return NULL;
}

static bool
is_our6(const struct dsa_port_info *port, const uint8_t *a)
{
	return (port->has_v6 && memcmp(port->v6, a, 16) == 0) || memcmp(port->v6_ll, a, 16) == 0;
}

static void
handle_ip6(struct dsa_ctrl *c, struct dsa_pipeline *pl, struct rte_mbuf *m, unsigned int port_idx)
{
	const struct dsa_port_info *port = &c->dp->ports[port_idx];
	struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	struct rte_ipv6_hdr *ip6 = (struct rte_ipv6_hdr *)(eth + 1);
	unsigned int plen, hdr = sizeof(*eth) + sizeof(*ip6);
	uint8_t *icmp = (uint8_t *)(ip6 + 1);
	static const uint8_t unspec[16];
	struct dsa_addr a;

	if (ip6->proto == DSA_PROTO_MH && c->lma != NULL && rte_pktmbuf_data_len(m) >= hdr &&
	        dsa_dp_is_local6(c->dp, ip6->dst_addr)) {
		dsa_lma_input(c->lma, pl, m, port_idx);
		return;
	}
	if (rte_pktmbuf_data_len(m) < hdr + 8 || ip6->proto != IPPROTO_ICMPV6)
		goto not_for_us;
	plen = rte_be_to_cpu_16(ip6->payload_len);
	if (plen < 8 || hdr + plen > rte_pktmbuf_data_len(m) ||
	        rte_ipv6_udptcp_cksum_verify(ip6, icmp) != 0) {
		c->stats[DSA_CTRL_MALFORMED]++;
		goto free;
	}
	switch (icmp[0]) {
	case ND_NS: {
		const uint8_t *ll;
		uint8_t dst[16];
		struct rte_ether_addr dmac;
		struct rte_mbuf *na;
		bool dad = memcmp(ip6->src_addr, unspec, 16) == 0;

		if (ip6->hop_limits != 255 || plen < 24) {
			c->stats[DSA_CTRL_MALFORMED]++;
			goto free;
		}
		if (!is_our6(port, icmp + 8))
			goto not_for_us;
		c->stats[DSA_CTRL_NS_IN]++;
		ll = nd_option(icmp + 24, plen - 24, ND_OPT_SRC_LL);
		if (dad) {
			/* RFC 4861 §7.2.4: answer a DAD probe to all-nodes. */
			static const uint8_t all_nodes[16] = { 0xff, 2, [15] = 1 };
			memcpy(dst, all_nodes, 16);
			rte_ether_unformat_addr("33:33:00:00:00:01", &dmac);
		} else {
			memcpy(dst, ip6->src_addr, 16);
			if (ll != NULL) {
				memcpy(&dmac, ll, 6);
				dsa_addr_v6(&a, ip6->src_addr);
				learn(c, port_idx, &a, &dmac, DSA_CTRL_ND_LEARNED);
			} else {
				rte_ether_addr_copy(&eth->src_addr, &dmac);
			}
		}
		na = build_nd(c, port, true, icmp + 8, dst, &dmac, icmp + 8,
		        (dad ? 0 : 0x40000000) | 0x20000000 /* S, O */);
		if (na != NULL) {
			c->stats[DSA_CTRL_NA_OUT]++;
			dsa_ctrl_send(c, pl, na, port_idx);
		}
		goto free;
	}
	case ND_NA: {
		const uint8_t *ll;

		if (ip6->hop_limits != 255 || plen < 24) {
			c->stats[DSA_CTRL_MALFORMED]++;
			goto free;
		}
		ll = nd_option(icmp + 24, plen - 24, ND_OPT_TGT_LL);
		if (ll == NULL)
			goto free;
		dsa_addr_v6(&a, icmp + 8);
		learn(c, port_idx, &a, (const struct rte_ether_addr *)ll, DSA_CTRL_ND_LEARNED);
		goto free;
	}
	case ICMP6_ECHO_REQUEST: {
		uint8_t tmp[16];

		if (!dsa_dp_is_local6(c->dp, ip6->dst_addr) && !is_our6(port, ip6->dst_addr))
			goto not_for_us;
		memcpy(tmp, ip6->src_addr, 16);
		memcpy(ip6->src_addr, ip6->dst_addr, 16);
		memcpy(ip6->dst_addr, tmp, 16);
		ip6->hop_limits = 64;
		icmp[0] = ICMP6_ECHO_REPLY;
		*(uint16_t *)(icmp + 2) = 0;
		rte_pktmbuf_trim(m, rte_pktmbuf_pkt_len(m) - hdr - plen);
		*(uint16_t *)(icmp + 2) = rte_ipv6_udptcp_cksum(ip6, icmp);
		rte_ether_addr_copy(&eth->src_addr, &eth->dst_addr);
		rte_ether_addr_copy(&port->mac, &eth->src_addr);
		c->stats[DSA_CTRL_ECHO_REPLY]++;
		dsa_ctrl_send(c, pl, m, port_idx);
		return;
	}
	default:
		goto not_for_us;
	}
not_for_us:
	c->stats[DSA_CTRL_NOT_FOR_US]++;
free:
	rte_pktmbuf_free(m);
}

static void
handle_ip4(struct dsa_ctrl *c, struct dsa_pipeline *pl, struct rte_mbuf *m, unsigned int port_idx)
{
	const struct dsa_port_info *port = &c->dp->ports[port_idx];
	struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eth + 1);
	struct rte_icmp_hdr *icmp;
	unsigned int hlen, tlen;
	rte_be32_t tmp;

	/* The pipeline checked the IP header already. */
	hlen = (ip->version_ihl & 0xf) * 4;
	tlen = rte_be_to_cpu_16(ip->total_length);
	if (ip->next_proto_id != IPPROTO_ICMP || !dsa_dp_is_local4(c->dp, ip->dst_addr) ||
	        (ip->fragment_offset &
	                rte_cpu_to_be_16(RTE_IPV4_HDR_MF_FLAG | RTE_IPV4_HDR_OFFSET_MASK)) != 0)
		goto not_for_us;
	if (tlen < hlen + sizeof(*icmp) || sizeof(*eth) + tlen > rte_pktmbuf_data_len(m)) {
		c->stats[DSA_CTRL_MALFORMED]++;
		goto free;
	}
	icmp = (struct rte_icmp_hdr *)((uint8_t *)ip + hlen);
	if (icmp->icmp_type != RTE_IP_ICMP_ECHO_REQUEST || icmp->icmp_code != 0)
		goto not_for_us;
	if (rte_raw_cksum(icmp, tlen - hlen) != 0xffff) {
		c->stats[DSA_CTRL_MALFORMED]++;
		goto free;
	}
	icmp->icmp_type = RTE_IP_ICMP_ECHO_REPLY;
	icmp->icmp_cksum = 0;
	icmp->icmp_cksum = ~rte_raw_cksum(icmp, tlen - hlen);
	tmp = ip->src_addr;
	ip->src_addr = ip->dst_addr;
	ip->dst_addr = tmp;
	ip->time_to_live = 64;
	ip->hdr_checksum = 0;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	rte_ether_addr_copy(&eth->src_addr, &eth->dst_addr);
	rte_ether_addr_copy(&port->mac, &eth->src_addr);
	c->stats[DSA_CTRL_ECHO_REPLY]++;
	dsa_ctrl_send(c, pl, m, port_idx);
	return;
not_for_us:
	c->stats[DSA_CTRL_NOT_FOR_US]++;
free:
	rte_pktmbuf_free(m);
}

void
dsa_ctrl_handle_punt(struct dsa_ctrl *c, struct dsa_pipeline *pl, struct rte_mbuf *m)
{
	uint32_t tag = m->hash.usr;
	unsigned int port_idx = c->dp->port_idx[m->port];
	const struct rte_ether_hdr *eth;

	if ((tag >> 16) == DSA_PUNT_RESOLVE) {
		resolve(c, pl, m, tag & 0xffff);
		return;
	}
	if (port_idx >= c->dp->n_ports || rte_pktmbuf_data_len(m) < sizeof(*eth)) {
		c->stats[DSA_CTRL_MALFORMED]++;
		rte_pktmbuf_free(m);
		return;
	}
	eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	switch (rte_be_to_cpu_16(eth->ether_type)) {
	case RTE_ETHER_TYPE_ARP:
		handle_arp(c, pl, m, port_idx);
		break;
	case RTE_ETHER_TYPE_IPV4:
		handle_ip4(c, pl, m, port_idx);
		break;
	case RTE_ETHER_TYPE_IPV6:
		handle_ip6(c, pl, m, port_idx);
		break;
	default:
		c->stats[DSA_CTRL_NOT_FOR_US]++;
		rte_pktmbuf_free(m);
	}
}

/* -- the loop ------------------------------------------------------------- */

void
dsa_ctrl_sum_stats(const struct dsa_ctrl *c, struct dsa_lcore_stats *out)
{
	memset(out, 0, sizeof(*out));
	for (unsigned int p = 0; p < c->n_pipelines; p++) {
		const struct dsa_lcore_stats *s = &c->pipelines[p].stats;

		for (int i = 0; i < DSA_CNT_MAX; i++)
			out->cnt[i] += s->cnt[i];
		for (int i = 0; i < DSA_DROP_MAX; i++)
			out->drop[i] += s->drop[i];
		out->busy_polls += s->busy_polls;
		out->idle_polls += s->idle_polls;
		out->notice_lat_sum += s->notice_lat_sum;
		out->notice_lat_max = RTE_MAX(out->notice_lat_max, s->notice_lat_max);
	}
}

static uint64_t
total_rx(const struct dsa_ctrl *c)
{
	uint64_t rx = 0;

	for (unsigned int p = 0; p < c->n_pipelines; p++)
		rx += c->pipelines[p].stats.cnt[DSA_CNT_RX];
	return rx;
}

void
dsa_ctrl_run(struct dsa_ctrl *c)
{
	uint64_t last_rx = 0, last_change = rte_rdtsc(), last_tick = 0;

	while (*c->running) {
		unsigned int work = 0;

		for (unsigned int p = 0; p < c->n_pipelines; p++) {
			struct dsa_pipeline *pl = &c->pipelines[p];
			struct rte_mbuf *m[DSA_BURST];
			unsigned int n;

			n = rte_ring_sc_dequeue_burst(pl->punt, (void **)m, DSA_BURST, NULL);
			for (unsigned int i = 0; i < n; i++)
				dsa_ctrl_handle_punt(c, pl, m[i]);
			work += n;
		}
		dsa_bind_reclaim(c->bt);
		if (c->lma != NULL) {
			uint64_t now = rte_rdtsc();

			if (now - last_tick > rte_get_tsc_hz() / 100) {
				last_tick = now;
				dsa_lma_tick(c->lma);
			}
		}

		if (c->idle_exit_cycles != 0) {
			uint64_t rx = total_rx(c), now = rte_rdtsc();

			if (rx != last_rx || work != 0) {
				last_rx = rx;
				last_change = now;
			} else if (now - last_change > c->idle_exit_cycles) {
				LOG(NOTICE, "no traffic for a while: stopping\n");
				*c->running = false;
			}
		}
		if (work == 0 && c->idle_mode == DSA_IDLE_ADAPTIVE) {
			struct timespec ts = { 0, c->idle_sleep_us * 1000L };

			nanosleep(&ts, NULL);
		}
	}
}
