/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dsanchor-bench cycles: in-process cycles per packet of each forwarding
 * path (ARCHITECTURE §9), with the binding tables filled to N entries.
 *
 * The real pipeline code (dsa_pipeline_burst) runs on bursts of 32 packets
 * whose destinations (downlink) or sources (uplink) are drawn at random over
 * the N bindings, so the table lookups miss the CPU caches as they would
 * under real traffic. Packets leave through a net_null port. Only the burst
 * call is timed (rte_rdtsc around it): it covers classification, the bulk
 * binding lookup, encap or decap with the anti-spoofing check, the route
 * lookup, the Ethernet rewrite and the TX enqueue. Building the input
 * packets is not timed.
 *
 * Output: one JSON object per (bindings, path) on stdout.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_random.h>

#include "bench.h"
#include "dsa_bind.h"
#include "dsa_pipeline.h"
#include "dsa_route.h"

#define N_MAGS 64
#define BURST  32

enum path {
	P_ENC_4IN6,
	P_ENC_6IN6,
	P_ENC_4IN4,
	P_ENC_6IN4,
	P_ENC_GRE4,
	P_ENC_GRE6,
	P_DEC_4IN6,
	P_DEC_6IN6,
	P_DEC_4IN4,
	P_DEC_6IN4,
	P_DEC_GRE4,
	P_DEC_GRE6,
	P_MAX
};

static const struct {
	const char *name;
	bool uplink;
	uint8_t inner_af, outer_af;
	bool gre;
} paths[P_MAX] = {
	[P_ENC_4IN6] = { "encap_4in6", false, AF_INET, AF_INET6, false },
	[P_ENC_6IN6] = { "encap_6in6", false, AF_INET6, AF_INET6, false },
	[P_ENC_4IN4] = { "encap_4in4", false, AF_INET, AF_INET, false },
	[P_ENC_6IN4] = { "encap_6in4", false, AF_INET6, AF_INET, false },
	[P_ENC_GRE4] = { "encap_gre4", false, AF_INET, AF_INET, true },
	[P_ENC_GRE6] = { "encap_gre6", false, AF_INET6, AF_INET6, true },
	[P_DEC_4IN6] = { "decap_4in6", true, AF_INET, AF_INET6, false },
	[P_DEC_6IN6] = { "decap_6in6", true, AF_INET6, AF_INET6, false },
	[P_DEC_4IN4] = { "decap_4in4", true, AF_INET, AF_INET, false },
	[P_DEC_6IN4] = { "decap_6in4", true, AF_INET6, AF_INET, false },
	[P_DEC_GRE4] = { "decap_gre4", true, AF_INET, AF_INET, true },
	[P_DEC_GRE6] = { "decap_gre6", true, AF_INET6, AF_INET6, true },
};

static const uint8_t anchor6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0xff, [15] = 1 };
static const rte_be32_t anchor4 = RTE_BE32(0xcb007101); /* 203.0.113.1 */
static const rte_be32_t cn4 = RTE_BE32(0xc612000a);     /* 198.18.0.10 */
static const uint8_t cn6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0xca, 0xfe, [15] = 0x10 };
static const struct rte_ether_addr port_mac = { { 0x02, 0, 0, 0, 0xa0, 0x01 } };

/* Binding i: IPv4 HoA 10.0.0.0/8 + i, HNP 2001:db8:1000::/36 + i, MAG i % 64. */
static rte_be32_t
hoa4(uint32_t i)
{
	return rte_cpu_to_be_32(0x0a000000u + i + 1);
}

static void
hnp(uint32_t i, uint8_t *a)
{
	memset(a, 0, 16);
	a[0] = 0x20;
	a[1] = 0x01;
	a[2] = 0x0d;
	a[3] = 0xb8;
	a[4] = 0x10 | ((i >> 24) & 0x0f);
	a[5] = i >> 16;
	a[6] = i >> 8;
	a[7] = i;
	a[15] = 0x64;
}

static void
coa(uint32_t i, uint8_t af, struct dsa_addr *a)
{
	uint32_t mag = i % N_MAGS;

	if (af == AF_INET) {
		dsa_addr_v4(a, rte_cpu_to_be_32(0xc0000200u + 10 + mag)); /* 192.0.2.10+ */
	} else {
		uint8_t v6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0x0a, [14] = 0x10, [15] = mag };

		dsa_addr_v6(a, v6);
	}
}

struct bench {
	struct dsa_dp dp;
	struct dsa_pipeline pl;
	struct rte_rcu_qsbr *qsv;
	uint16_t port;
	uint32_t n;
	uint8_t outer_af;
	bool gre;
};

static int
fill(struct bench *b, uint8_t outer_af, bool gre)
{
	struct dsa_fwd f = { 0 };
	struct dsa_bind_key k;
	struct dsa_addr c;
	uint8_t a[16];

	for (uint32_t i = 0; i < b->n; i++) {
		coa(i, outer_af, &c);
		memset(&f, 0, sizeof(f));
		f.outer_af = outer_af;
		f.nh = dsa_route_lookup(b->dp.rt, &c);
		f.mtu = 1500;
		f.id = i;
		if (gre) {
			f.flags = DSA_FWD_GRE;
			f.gre_key = rte_cpu_to_be_32(i + 1);
			f.gre_key_in = f.gre_key;
		}
		if (outer_af == AF_INET) {
			f.outer.v4.src = anchor4;
			f.outer.v4.dst = c.v4;
		} else {
			memcpy(f.outer.v6.src, anchor6, 16);
			memcpy(f.outer.v6.dst, c.v6, 16);
		}
		dsa_bind_key_v4(&k, hoa4(i));
		if (dsa_bind_set(b->dp.bt, &k, &f) != 0)
			return -ENOSPC;
		hnp(i, a);
		dsa_bind_key_v6p(&k, a);
		if (dsa_bind_set(b->dp.bt, &k, &f) != 0)
			return -ENOSPC;
		if ((i & 0x3ff) == 0) {
			rte_rcu_qsbr_quiescent(b->qsv, 0);
			dsa_bind_reclaim(b->dp.bt);
		}
	}
	b->outer_af = outer_af;
	b->gre = gre;
	return 0;
}

/* Write one test packet for binding i into m. */
static void
build(struct rte_mbuf *m, uint32_t i, int p)
{
	uint8_t *d = rte_pktmbuf_mtod(m, uint8_t *);
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)d;
	unsigned int off = sizeof(*eth), inner_len = paths[p].inner_af == AF_INET ? 46 : 66;
	struct dsa_addr c;
	uint8_t a[16];

	rte_ether_addr_copy(&port_mac, &eth->dst_addr);
	memset(&eth->src_addr, 0x02, 6);
	if (paths[p].uplink) {
		coa(i, paths[p].outer_af, &c);
		unsigned int gl = paths[p].gre ? 8 : 0;
		uint8_t proto = paths[p].gre                   ? DSA_PROTO_GRE
		                : paths[p].inner_af == AF_INET ? DSA_PROTO_IPIP
		                                               : DSA_PROTO_IPV6;

		if (paths[p].outer_af == AF_INET) {
			struct rte_ipv4_hdr *o = (struct rte_ipv4_hdr *)(d + off);

			eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV4);
			memset(o, 0, sizeof(*o));
			o->version_ihl = 0x45;
			o->total_length = rte_cpu_to_be_16(20 + gl + inner_len);
			o->time_to_live = 64;
			o->next_proto_id = proto;
			o->src_addr = c.v4;
			o->dst_addr = anchor4;
			o->hdr_checksum = rte_ipv4_cksum(o);
			off += 20;
		} else {
			struct rte_ipv6_hdr *o = (struct rte_ipv6_hdr *)(d + off);

			eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV6);
			memset(o, 0, sizeof(*o));
			o->vtc_flow = RTE_BE32(0x60000000);
			o->payload_len = rte_cpu_to_be_16(gl + inner_len);
			o->proto = proto;
			o->hop_limits = 64;
			memcpy(o->src_addr, c.v6, 16);
			memcpy(o->dst_addr, anchor6, 16);
			off += 40;
		}
		if (paths[p].gre) {
			rte_be16_t *g = (rte_be16_t *)(d + off);

			g[0] = RTE_BE16(DSA_GRE_K);
			g[1] = paths[p].inner_af == AF_INET ? RTE_BE16(RTE_ETHER_TYPE_IPV4)
			                                    : RTE_BE16(RTE_ETHER_TYPE_IPV6);
			*(rte_be32_t *)(g + 2) = rte_cpu_to_be_32(i + 1);
			off += 8;
		}
	} else {
		eth->ether_type = paths[p].inner_af == AF_INET ? RTE_BE16(RTE_ETHER_TYPE_IPV4)
		                                               : RTE_BE16(RTE_ETHER_TYPE_IPV6);
	}
	if (paths[p].inner_af == AF_INET) {
		struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(d + off);

		memset(ip, 0, inner_len);
		ip->version_ihl = 0x45;
		ip->total_length = rte_cpu_to_be_16(inner_len);
		ip->time_to_live = 64;
		ip->next_proto_id = IPPROTO_UDP;
		ip->src_addr = paths[p].uplink ? hoa4(i) : cn4;
		ip->dst_addr = paths[p].uplink ? cn4 : hoa4(i);
		ip->hdr_checksum = rte_ipv4_cksum(ip);
	} else {
		struct rte_ipv6_hdr *ip6 = (struct rte_ipv6_hdr *)(d + off);

		memset(ip6, 0, inner_len);
		ip6->vtc_flow = RTE_BE32(0x60000000);
		ip6->payload_len = rte_cpu_to_be_16(inner_len - 40);
		ip6->proto = IPPROTO_UDP;
		ip6->hop_limits = 64;
		hnp(i, a);
		memcpy(paths[p].uplink ? ip6->src_addr : ip6->dst_addr, a, 16);
		memcpy(paths[p].uplink ? ip6->dst_addr : ip6->src_addr, cn6, 16);
	}
	m->data_len = m->pkt_len = off + inner_len;
	m->port = 0;
}

/*
 * The "core" figure of ARCHITECTURE §9: binding lookup plus encap, or decap
 * plus the anti-spoofing lookup and check, on bursts whose data starts at
 * the IP header; no classification, routing, Ethernet or TX.
 */
static uint64_t
core_cycles(struct bench *b, int p, uint32_t packets, bool lookup_only, uint64_t *fail)
{
	const struct dsa_tun_params tun = { .ttl = 64, .hop_limit = 64 };
	struct rte_mbuf *pkts[BURST];
	const void *keys[BURST];
	const struct dsa_fwd *f[BURST];
	struct dsa_outer o[BURST];
	uint8_t af[BURST];
	uint64_t cycles = 0, done = 0, warm = packets / 8 / BURST * BURST;
	uint16_t ip_id = 0;
	enum dsa_drop why;

	*fail = 0;
	while (done < packets + warm) {
		if (done == warm)
			cycles = 0;
		if (rte_pktmbuf_alloc_bulk(b->dp.pool, pkts, BURST) != 0)
			return 0;
		for (int j = 0; j < BURST; j++) {
			build(pkts[j], rte_rand_max(b->n), p);
			rte_pktmbuf_adj(pkts[j], sizeof(struct rte_ether_hdr));
		}
		uint64_t t0 = rte_rdtsc_precise();
		for (int j = 0; j < BURST; j++) {
			const uint8_t *d;

			if (paths[p].uplink) {
				af[j] = dsa_decap(pkts[j], &o[j], &why);
				d = rte_pktmbuf_mtod(pkts[j], const uint8_t *);
				keys[j] = af[j] == AF_INET ? d + 12 : d + 8; /* inner source */
			} else {
				af[j] = paths[p].inner_af;
				d = rte_pktmbuf_mtod(pkts[j], const uint8_t *);
				keys[j] = af[j] == AF_INET ? d + 16 : d + 24; /* destination */
			}
		}
		if (lookup_only)
			t0 = rte_rdtsc_precise(); /* the baseline: the lookup alone */
		if (paths[p].inner_af == AF_INET)
			dsa_bind_lookup4_bulk(b->dp.bt, keys, BURST, f);
		else
			dsa_bind_lookup6_bulk(b->dp.bt, keys, BURST, f);
		for (int j = 0; j < BURST; j++) {
			if (f[j] == NULL)
				(*fail)++;
			else if (lookup_only)
				continue;
			else if (paths[p].uplink)
				*fail += !dsa_outer_matches(&o[j], f[j]);
			else
				*fail += dsa_encap(pkts[j], f[j], af[j], &tun, &ip_id) !=
				         DSA_DROP_NONE;
		}
		cycles += rte_rdtsc_precise() - t0;
		rte_pktmbuf_free_bulk(pkts, BURST);
		done += BURST;
	}
	return cycles;
}

static int
run_path(struct bench *b, int p, uint32_t packets, FILE *out)
{
	struct rte_mbuf *pkts[BURST];
	struct dsa_lcore_stats before = b->pl.stats;
	uint64_t cycles = 0, done = 0, ok, warm = packets / 8 / BURST * BURST;
	enum dsa_counter c;

	/* Warm up (caches, TLB, mempool) untimed, then measure. */
	while (done < packets + warm) {
		if (done == warm) {
			cycles = 0;
			before = b->pl.stats;
		}
		if (rte_pktmbuf_alloc_bulk(b->dp.pool, pkts, BURST) != 0)
			return -ENOMEM;
		for (int j = 0; j < BURST; j++)
			build(pkts[j], rte_rand_max(b->n), p);
		uint64_t t0 = rte_rdtsc_precise();
		dsa_pipeline_burst(&b->pl, b->port, pkts, BURST);
		cycles += rte_rdtsc_precise() - t0;
		dsa_pipeline_flush(&b->pl);
		rte_rcu_qsbr_quiescent(b->qsv, 0);
		done += BURST;
	}
	if (paths[p].uplink) {
		c = DSA_CNT_ROUTED;
	} else {
		struct dsa_fwd f = { .outer_af = paths[p].outer_af,
			.flags = paths[p].gre ? DSA_FWD_GRE : 0 };
		c = dsa_encap_counter(&f, paths[p].inner_af);
	}
	done -= warm;
	ok = b->pl.stats.cnt[c] - before.cnt[c];
	uint64_t core_fail, core = core_cycles(b, p, packets, false, &core_fail);
	uint64_t lookup_fail, lookup = core_cycles(b, p, packets, true, &lookup_fail);

	fprintf(out,
	        "{\"bench\":\"cycles\",\"path\":\"%s\",\"bindings\":%u,\"packets\":%" PRIu64
	        ",\"forwarded\":%" PRIu64 ",\"cycles_per_packet\":%.1f,"
	        "\"core_cycles_per_packet\":%.1f,\"lookup_cycles_per_packet\":%.1f,"
	        "\"tsc_hz\":%" PRIu64 "}\n",
	        paths[p].name, b->n, done, ok, (double)cycles / done, (double)core / packets,
	        (double)lookup / packets, rte_get_tsc_hz());
	if (core_fail != 0 || lookup_fail != 0) {
		fprintf(stderr, "cycles: %s core loop: %" PRIu64 " packets failed\n", paths[p].name,
		        core_fail + lookup_fail);
		return -EIO;
	}
	fflush(out);
	if (ok != done) {
		fprintf(stderr, "cycles: %s forwarded %" PRIu64 " of %" PRIu64 " packets\n",
		        paths[p].name, ok, done);
		return -EIO;
	}
	return 0;
}

static int
setup_port(uint16_t *port, struct rte_mempool *mp)
{
	struct rte_eth_conf conf = { 0 };

	if (rte_eth_dev_get_port_by_name("net_null0", port) != 0)
		return -ENODEV;
	if (rte_eth_dev_configure(*port, 1, 1, &conf) != 0 ||
	        rte_eth_rx_queue_setup(*port, 0, 512, rte_socket_id(), NULL, mp) != 0 ||
	        rte_eth_tx_queue_setup(*port, 0, 512, rte_socket_id(), NULL) != 0 ||
	        rte_eth_dev_start(*port) != 0)
		return -EIO;
	return 0;
}

static int
bench_size(struct bench *b, uint32_t n, uint32_t packets, const bool *want, FILE *out)
{
	static volatile bool running = true;
	struct dsa_bind_params bp = { .name = "bb",
		.socket_id = rte_socket_id(),
		.n_v4 = n,
		.n_v6p = n,
		.n_v6h = 8,
		.qsv = b->qsv };
	struct dsa_route_params rp = {
		.name = "br", .socket_id = rte_socket_id(), .max_routes = 1024, .max_nh = 1024
	};
	struct dsa_prefix pfx;
	struct dsa_addr a;
	int ret = 0;

	b->n = n;
	b->dp.bt = dsa_bind_create(&bp);
	b->dp.rt = dsa_route_create(&rp);
	if (b->dp.bt == NULL || b->dp.rt == NULL) {
		fprintf(stderr, "cycles: cannot create tables for %u bindings: %s\n", n,
		        rte_strerror(rte_errno));
		ret = -ENOMEM;
		goto out;
	}
	b->dp.nh = dsa_route_nh_table(b->dp.rt);
	/* Default routes toward the CN side, and every MAG resolved. */
	dsa_prefix_parse("0.0.0.0/0", &pfx);
	dsa_addr_parse("198.51.100.254", &a);
	dsa_route_add(b->dp.rt, &pfx, DSA_NH_FWD, &a, 0, 1500);
	dsa_route_neigh_set(b->dp.rt, 0, &a, &port_mac, 1500);
	dsa_prefix_parse("::/0", &pfx);
	dsa_addr_parse("2001:db8:c0::fe", &a);
	dsa_route_add(b->dp.rt, &pfx, DSA_NH_FWD, &a, 0, 1500);
	dsa_route_neigh_set(b->dp.rt, 0, &a, &port_mac, 1500);
	for (uint32_t m = 0; m < N_MAGS; m++) {
		coa(m, AF_INET, &a);
		dsa_route_neigh_set(b->dp.rt, 0, &a, &port_mac, 1500);
		coa(m, AF_INET6, &a);
		dsa_route_neigh_set(b->dp.rt, 0, &a, &port_mac, 1500);
	}
	if (dsa_pipeline_init(&b->pl, &b->dp, 0, rte_lcore_id(), &running) != 0) {
		ret = -ENOMEM;
		goto out;
	}
	/* Grouped by tunnel so each table fill serves several paths. */
	static const int order[P_MAX] = { P_ENC_4IN6, P_ENC_6IN6, P_DEC_4IN6, P_DEC_6IN6,
		P_ENC_4IN4, P_ENC_6IN4, P_DEC_4IN4, P_DEC_6IN4, P_ENC_GRE4, P_DEC_GRE4, P_ENC_GRE6,
		P_DEC_GRE6 };
	for (int o = 0; o < P_MAX; o++) {
		int p = order[o];

		if (!want[p])
			continue;
		if (b->outer_af != paths[p].outer_af || b->gre != paths[p].gre) {
			uint64_t t0 = rte_rdtsc();

			ret = fill(b, paths[p].outer_af, paths[p].gre);
			if (ret != 0)
				goto out;
			fprintf(stderr, "cycles: %u bindings (%s%s) installed in %.1f s\n", n,
			        paths[p].outer_af == AF_INET ? "IPv4" : "IPv6",
			        paths[p].gre ? "+GRE" : "",
			        (double)(rte_rdtsc() - t0) / rte_get_tsc_hz());
			rte_ring_reset(b->pl.update);
		}
		ret = run_path(b, p, packets, out);
		if (ret != 0)
			goto out;
	}
out:
	dsa_pipeline_fini(&b->pl);
	dsa_bind_free(b->dp.bt);
	dsa_route_free(b->dp.rt);
	b->dp.bt = NULL;
	b->dp.rt = NULL;
	b->outer_af = 0;
	return ret;
}

static void
usage(FILE *f)
{
	fprintf(f, "usage: dsanchor-bench cycles [EAL args] -- [--bindings N,N,...] "
	           "[--packets N] [--paths name,name,...]\n"
	           "  defaults: --bindings 1000,1000000 --packets 2000000 --paths all\n"
	           "  paths:");
	for (int p = 0; p < P_MAX; p++)
		fprintf(f, " %s", paths[p].name);
	fprintf(f, "\n");
}

int
dsa_bench_cycles_main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "bindings", required_argument, NULL, 'b' },
		{ "packets", required_argument, NULL, 'n' },
		{ "paths", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char *sizes = strdup("1000,1000000"), *list = NULL, *tok, *save;
	uint32_t packets = 2000000;
	bool want[P_MAX];
	static struct bench b;
	char *vdev_argv[64];
	int n_eal = 0, c, ret;

	/* EAL: the caller's arguments up to "--", plus our sink port. */
	int split = argc;

	for (int i = 0; i < argc; i++)
		if (strcmp(argv[i], "--") == 0) {
			split = i;
			break;
		}
	for (int i = 0; i < split && n_eal < 60; i++)
		vdev_argv[n_eal++] = argv[i];
	vdev_argv[n_eal++] = "--vdev";
	vdev_argv[n_eal++] = "net_null0,no-rx=1";
	vdev_argv[n_eal] = NULL;
	ret = rte_eal_init(n_eal, vdev_argv);
	if (ret < 0) {
		fprintf(stderr, "cycles: EAL init failed: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	if (split < argc) {
		argv[split] = argv[0];
		argv += split;
		argc -= split;
	} else {
		argc = 1;
	}
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		switch (c) {
		case 'b':
			free(sizes);
			sizes = strdup(optarg);
			break;
		case 'n':
			packets = strtoul(optarg, NULL, 10);
			break;
		case 'p':
			list = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	for (int p = 0; p < P_MAX; p++)
		want[p] = list == NULL || strcmp(list, "all") == 0;
	if (list != NULL && strcmp(list, "all") != 0) {
		for (tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
			int p;

			for (p = 0; p < P_MAX && strcmp(tok, paths[p].name) != 0; p++)
				;
			if (p == P_MAX) {
				fprintf(stderr, "cycles: unknown path \"%s\"\n", tok);
				usage(stderr);
				return 2;
			}
			want[p] = true;
		}
	}

	b.dp.pool = rte_pktmbuf_pool_create(
	        "cyc_mbufs", 16383, 256, 0, RTE_MBUF_DEFAULT_BUF_SIZE, rte_socket_id());
	b.dp.indirect_pool = rte_pktmbuf_pool_create("cyc_ind", 1023, 32, 0, 0, rte_socket_id());
	b.qsv = rte_zmalloc("qsv", rte_rcu_qsbr_get_memsize(1), RTE_CACHE_LINE_SIZE);
	if (b.dp.pool == NULL || b.dp.indirect_pool == NULL || b.qsv == NULL ||
	        rte_rcu_qsbr_init(b.qsv, 1) != 0 || setup_port(&b.port, b.dp.pool) != 0) {
		fprintf(stderr, "cycles: setup failed: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	rte_rcu_qsbr_thread_register(b.qsv, 0);
	rte_rcu_qsbr_thread_online(b.qsv, 0);
	b.dp.qsv = b.qsv;
	b.dp.tun = (struct dsa_tun_params){ .ttl = 64, .hop_limit = 64 };
	b.dp.icmp_rate = 100;
	b.dp.icmp_burst = 10;
	b.dp.punt_src_rate = b.dp.punt_rate = 1000;
	b.dp.punt_src_burst = b.dp.punt_burst = 100;
	b.dp.frag_entries = 64;
	b.dp.frag_timeout_ms = 1000;
	b.dp.n_ports = 1;
	b.dp.ports[0] = (struct dsa_port_info){ .port_id = b.port,
		.mtu = 1500,
		.mac = port_mac,
		.has_v4 = true,
		.v4 = RTE_BE32(0xc0000201),
		.has_v6 = true };
	memset(b.dp.port_idx, 0xff, sizeof(b.dp.port_idx));
	b.dp.port_idx[b.port] = 0;
	b.dp.n_local4 = 1;
	b.dp.local4[0] = anchor4;
	b.dp.n_local6 = 1;
	memcpy(b.dp.local6[0], anchor6, 16);

	for (tok = strtok_r(sizes, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		uint32_t n = strtoul(tok, NULL, 10);

		if (n == 0 || n > (1u << 27)) {
			fprintf(stderr, "cycles: bad binding count \"%s\"\n", tok);
			return 2;
		}
		ret = bench_size(&b, n, packets, want, stdout);
		if (ret != 0)
			return 1;
	}
	free(sizes);
	rte_eth_dev_stop(b.port);
	rte_eal_cleanup();
	return 0;
}
