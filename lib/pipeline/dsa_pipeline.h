/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef DSA_PIPELINE_H
#define DSA_PIPELINE_H

/*
 * The pipeline lcores: run-to-completion loops that classify, look up, tunnel
 * and route bursts of packets (ARCHITECTURE §3, §5).
 *
 * Ownership: struct dsa_dp is built by the main thread before the lcores
 * start and is read-only afterwards (the tables it points to change only
 * through their own concurrency rules). Each struct dsa_pipeline belongs to
 * one lcore, which alone writes it; other lcores only read its counters.
 *
 * Rings per pipeline (all single-producer, single-consumer):
 *   punt    pipeline -> control  mbufs (m->hash.usr = DSA_PUNT_* << 16 | next hop)
 *   inject  control -> pipeline  mbufs ready to send on port m->port
 *   update  control -> pipeline  struct dsa_bind_notice
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_ethdev.h>
#include <rte_ip_frag.h>
#include <rte_mbuf.h>
#include <rte_rcu_qsbr.h>
#include <rte_ring.h>

#include "dsa_bind.h"
#include "dsa_config.h"
#include "dsa_counters.h"
#include "dsa_route.h"
#include "dsa_tunnel.h"

#define DSA_BURST 32

enum dsa_punt_reason {
	DSA_PUNT_LOCAL = 1, /* for us (ARP, ND, ICMP echo, signalling); data at L2 */
	DSA_PUNT_RESOLVE,   /* next hop needs ARP/ND; data at L3; low 16 bits: nh */
};

static inline uint32_t
dsa_punt_tag(enum dsa_punt_reason r, uint16_t nh)
{
	return ((uint32_t)r << 16) | nh;
}

struct dsa_port_info {
	uint16_t port_id;
	uint16_t mtu;
	struct rte_ether_addr mac;
	bool has_v4;
	bool has_v6;
	rte_be32_t v4;
	uint8_t v6[16];
	uint8_t v6_ll[16];              /* link-local, from the MAC (EUI-64) */
	struct dsa_prefix link4, link6; /* the on-link (connected) prefixes */
	char name[DSA_NAME_LEN];
};

/* A token bucket; tokens are scaled by the TSC rate (one packet = hz). */
struct dsa_tb {
	uint64_t tokens;
	uint64_t last;
};

#define DSA_PUNT_BUCKETS 256 /* per-source punt buckets, by hash of the source */

/* Shared, read-only data-plane context. */
struct dsa_dp {
	struct dsa_bind_table *bt;
	struct dsa_route_table *rt;
	const struct dsa_nh *nh;
	struct rte_rcu_qsbr *qsv;
	struct rte_mempool *pool;
	struct rte_mempool *indirect_pool;
	struct dsa_tun_params tun;
	uint32_t icmp_rate;
	uint32_t icmp_burst;
	uint32_t punt_src_rate, punt_src_burst; /* per source address */
	uint32_t punt_rate, punt_burst;         /* all sources */
	uint32_t frag_entries;
	uint32_t frag_timeout_ms;
	enum dsa_idle_mode idle_mode;
	uint32_t idle_spin_polls;
	uint32_t idle_sleep_us;

	unsigned int n_ports;
	struct dsa_port_info ports[DSA_MAX_PORTS];
	/* Port index by DPDK port id (ports are few; ids are small). */
	uint8_t port_idx[RTE_MAX_ETHPORTS];

	/* Our own addresses: the ports' and the anchor's. */
	unsigned int n_local4, n_local6;
	rte_be32_t local4[DSA_MAX_LOCAL_ADDRS + DSA_MAX_PORTS];
	uint8_t local6[DSA_MAX_LOCAL_ADDRS + 2 * DSA_MAX_PORTS][16];
};

struct dsa_lcore_stats {
	uint64_t cnt[DSA_CNT_MAX];
	uint64_t drop[DSA_DROP_MAX];
	uint64_t busy_polls;
	uint64_t idle_polls;
	uint32_t gen_seen;       /* last binding generation acknowledged */
	uint64_t notice_lat_max; /* TSC cycles from control's publish to here */
	uint64_t notice_lat_sum;
};

struct dsa_pipeline {
	/* hot: read every burst */
	const struct dsa_dp *dp;
	unsigned int id;        /* 0..n-1, also the queue id on every port */
	unsigned int qs_thread; /* QSBR thread id */
	uint16_t ip_id;
	struct dsa_tb icmp_tb;
	struct rte_ip_frag_tbl *frag_tbl;
	struct rte_ip_frag_death_row dr;
	struct rte_eth_dev_tx_buffer *txb[DSA_MAX_PORTS];
	struct rte_ring *punt;
	struct rte_ring *inject;
	struct rte_ring *update;
	unsigned int lcore_id;
	volatile bool *running;

	struct dsa_lcore_stats stats __rte_cache_aligned;

	/* Punt rate limits (only touched for packets to us). */
	struct dsa_tb punt_tb;
	struct dsa_tb punt_src_tb[DSA_PUNT_BUCKETS];
} __rte_cache_aligned;

/*
 * Set up pipeline pl (rings, TX buffers, reassembly table) on the main
 * thread. Returns 0 or -errno.
 */
int dsa_pipeline_init(struct dsa_pipeline *pl, const struct dsa_dp *dp, unsigned int id,
        unsigned int lcore_id, volatile bool *running);
void dsa_pipeline_fini(struct dsa_pipeline *pl);

/* The lcore entry point (arg: struct dsa_pipeline *). */
int dsa_pipeline_main(void *arg);

/*
 * Process one burst that arrived on DPDK port in_port. Packets leave through
 * the TX buffers (flush with dsa_pipeline_flush), the punt ring, or are
 * dropped and counted. Exposed for the benchmarks and tests.
 */
void dsa_pipeline_burst(
        struct dsa_pipeline *pl, uint16_t in_port, struct rte_mbuf **pkts, uint16_t n);
void dsa_pipeline_flush(struct dsa_pipeline *pl);
/* Drain the update ring (binding-change notices). */
void dsa_pipeline_poll_updates(struct dsa_pipeline *pl);

/* True when addr is one of ours. */
bool dsa_dp_is_local4(const struct dsa_dp *dp, rte_be32_t a);
bool dsa_dp_is_local6(const struct dsa_dp *dp, const uint8_t *a);

#endif /* DSA_PIPELINE_H */
