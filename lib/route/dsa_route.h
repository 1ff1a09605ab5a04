/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef DSA_ROUTE_H
#define DSA_ROUTE_H

/*
 * Routes and next hops. Two FIBs (rte_fib DIR24-8 for IPv4, rte_fib6 trie for
 * IPv6) map a destination to a next-hop index; the next-hop table holds what
 * the pipeline needs to send: the port and the neighbour's MAC.
 *
 * Neighbours follow the "glean" model: an on-link (connected) prefix points at
 * a GLEAN next hop; a packet that hits it is punted to control, which resolves
 * the destination by ARP or ND and then installs a host route (/32 or /128)
 * to a next hop of its own. Gateways are next hops whose MAC is filled in the
 * same way. Static neighbours from the config are installed at start.
 *
 * Concurrency: control is the only writer. Pipelines read the FIBs and the
 * next-hop table without locks. A next hop's MAC is one 64-bit word written
 * with a single atomic store, so a reader sees the old or the new MAC, never
 * half of each. Host routes are only ever added while pipelines run (a stale
 * neighbour is invalidated in place, not removed), so no FIB memory is freed
 * under a reader.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_ether.h>

#include "dsa_net.h"

enum dsa_nh_type {
	DSA_NH_NONE = 0,  /* no route */
	DSA_NH_FWD,       /* send to port with dst MAC (resolve when invalid) */
	DSA_NH_GLEAN,     /* on-link prefix: resolve the destination itself */
	DSA_NH_HOME,      /* home network: deliver through a binding only */
	DSA_NH_BLACKHOLE, /* drop */
};

#define DSA_NH_MAC_VALID (1ull << 48)
#define DSA_MAX_NH       65535

struct dsa_nh {
	uint64_t l2; /* dst MAC in the low 48 bits (wire order) | DSA_NH_MAC_VALID */
	uint16_t port;
	uint8_t type; /* enum dsa_nh_type */
	uint8_t pad;
	uint16_t mtu; /* port MTU */
	uint16_t pad2;
	struct dsa_addr addr; /* neighbour to resolve (FWD); unset for others */
};

struct dsa_route_table;

struct dsa_route_params {
	const char *name;
	int socket_id;
	uint32_t max_routes; /* per family */
	uint32_t max_nh;
};

struct dsa_route_table *dsa_route_create(const struct dsa_route_params *p);
void dsa_route_free(struct dsa_route_table *rt);

/* Control lcore only. Return 0 or -errno (-ENOSPC: no next hop left). */
int dsa_route_add(struct dsa_route_table *rt, const struct dsa_prefix *pfx, enum dsa_nh_type type,
        const struct dsa_addr *via, uint16_t port, uint16_t mtu);
/* Learn (or refresh) a neighbour: fills every next hop for addr on port and
 * installs a host route to it. */
int dsa_route_neigh_set(struct dsa_route_table *rt, uint16_t port, const struct dsa_addr *addr,
        const struct rte_ether_addr *mac, uint16_t mtu);
/* Single lookup (control). Returns the next-hop index, 0 when no route. */
uint16_t dsa_route_lookup(const struct dsa_route_table *rt, const struct dsa_addr *dst);

/* Pipeline lookups: ips in network order; out[i] is a next-hop index. */
void dsa_route_lookup4_bulk(
        const struct dsa_route_table *rt, const rte_be32_t *ips, uint16_t *out, unsigned int n);
void dsa_route_lookup6_bulk(
        const struct dsa_route_table *rt, const uint8_t (*ips)[16], uint16_t *out, unsigned int n);

/* The next-hop table, for readers. */
const struct dsa_nh *dsa_route_nh_table(const struct dsa_route_table *rt);
uint32_t dsa_route_nh_count(const struct dsa_route_table *rt);

/* Pack a MAC and the valid bit into a dsa_nh.l2 word, and back. */
static inline uint64_t
dsa_nh_l2_pack(const struct rte_ether_addr *mac)
{
	uint64_t v = 0;

	memcpy(&v, mac->addr_bytes, RTE_ETHER_ADDR_LEN);
	return v | DSA_NH_MAC_VALID;
}

static inline uint64_t
dsa_nh_l2_load(const struct dsa_nh *nh)
{
	return __atomic_load_n(&nh->l2, __ATOMIC_RELAXED);
}

#endif /* DSA_ROUTE_H */
