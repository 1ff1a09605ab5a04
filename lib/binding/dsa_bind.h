/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef DSA_BIND_H
#define DSA_BIND_H

/*
 * The binding cache's forwarding side: three cuckoo hash tables that map a
 * home address to a forwarding entry (struct dsa_fwd).
 *
 *   v4   IPv4 /32 home address        key: 4 bytes
 *   v6p  IPv6 /64 home network prefix key: top 8 bytes
 *   v6h  IPv6 /128 home address       key: 16 bytes (looked up before v6p)
 *
 * Concurrency (ARCHITECTURE §3): the tables run in rte_hash's lock-free
 * RW-concurrency mode. The control lcore is the ONLY writer: dsa_bind_set(),
 * dsa_bind_del() and dsa_bind_reclaim() must only be called from it. Any
 * number of pipeline lcores may call the lookup functions at any time,
 * without locks, provided each is registered with the QSBR variable given at
 * create time and reports a quiescent state once per loop, outside any use
 * of a looked-up entry.
 *
 * A dsa_fwd is immutable once published. A change is a new entry swapped in
 * atomically; the old one is freed after the grace period through a defer
 * queue, so a reader never sees a torn entry and control never waits.
 *
 * Each change is also posted, as a struct dsa_bind_notice, on every update
 * ring given at create time (one per pipeline).
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_rcu_qsbr.h>
#include <rte_ring.h>

#include "dsa_net.h"

enum dsa_bind_kind {
	DSA_BIND_V4 = 0,
	DSA_BIND_V6P,
	DSA_BIND_V6H,
	DSA_BIND_NKINDS,
};

/* One key type for the three tables; unused bytes are zero. */
struct dsa_bind_key {
	uint8_t kind; /* enum dsa_bind_kind */
	uint8_t pad[3];
	uint8_t addr[16]; /* v4: 4 bytes; v6p: 8 bytes; v6h: 16 bytes */
} __rte_packed;
static_assert(sizeof(struct dsa_bind_key) == 20, "dsa_bind_key layout");

#define DSA_FWD_GRE  0x01 /* GRE encapsulation with gre_key (RFC 5845) */
#define DSA_FWD_DEAD 0x02 /* being removed: treat as a miss */

/*
 * What a pipeline needs to tunnel toward a care-of address, in one cache
 * line. outer_af is the care-of address family: it alone picks the tunnel
 * (AF_INET6: 6in6 / 4in6 / GRE-in-IPv6; AF_INET: 4in4 / 6in4 / GRE-in-IPv4).
 */
struct dsa_fwd {
	uint8_t outer_af;
	uint8_t flags;
	uint16_t nh;  /* next-hop index (dsa_route) toward the care-of address */
	uint16_t mtu; /* link MTU toward the care-of address */
	uint16_t pad;
	rte_be32_t gre_key;    /* GRE key written on downlink packets (the MAG's) */
	rte_be32_t gre_key_in; /* GRE key required on uplink packets (ours) */
	uint32_t gen;          /* binding generation that produced this entry */
	uint32_t id;           /* control-side binding id */
	union {
		struct {
			rte_be32_t src, dst;
		} v4;
		struct {
			uint8_t src[16], dst[16];
		} v6;
	} outer;
	uint32_t csum; /* over everything above: lets tests detect torn reads */
} __rte_cache_aligned;
static_assert(sizeof(struct dsa_fwd) == RTE_CACHE_LINE_SIZE, "dsa_fwd is one cache line");

/* A notice on the update rings (control -> pipelines). */
enum dsa_bind_op {
	DSA_BIND_OP_SET = 1, /* created or moved */
	DSA_BIND_OP_DEL = 2,
};

struct dsa_bind_notice {
	uint64_t tsc; /* rte_rdtsc() when control published the change */
	uint32_t gen;
	uint8_t op; /* enum dsa_bind_op */
	uint8_t pad[3];
	struct dsa_bind_key key;
	uint32_t pad2;
};
static_assert(sizeof(struct dsa_bind_notice) == 40, "dsa_bind_notice layout");

struct dsa_bind_params {
	const char *name; /* prefix for DPDK object names */
	int socket_id;
	uint32_t n_v4, n_v6p, n_v6h; /* capacity of each table */
	struct rte_rcu_qsbr *qsv;    /* readers' QSBR variable */
	unsigned int n_rings;
	struct rte_ring **rings; /* update rings, one per pipeline (may be 0) */
};

struct dsa_bind_table;

/* Returns NULL with rte_errno set on failure. */
struct dsa_bind_table *dsa_bind_create(const struct dsa_bind_params *p);
void dsa_bind_free(struct dsa_bind_table *t);

/*
 * Add or replace the entry for key (control lcore only). fwd is copied; its
 * gen and csum are filled in. Returns 0, -EINVAL (bad key), -ENOSPC (table
 * or entry pool full: "insufficient resources").
 */
int dsa_bind_set(
        struct dsa_bind_table *t, const struct dsa_bind_key *key, const struct dsa_fwd *fwd);
/* Remove (control lcore only). Returns 0 or -ENOENT. */
int dsa_bind_del(struct dsa_bind_table *t, const struct dsa_bind_key *key);
/* Free entries whose grace period has ended (control lcore, each loop). */
void dsa_bind_reclaim(struct dsa_bind_table *t);

/* Entries per table, and notices dropped because an update ring was full. */
struct dsa_bind_stats {
	uint32_t count[DSA_BIND_NKINDS];
	uint32_t capacity[DSA_BIND_NKINDS];
	uint64_t sets, dels, set_fail;
	uint64_t notices_dropped;
	uint32_t gen;
};
void dsa_bind_stats_get(const struct dsa_bind_table *t, struct dsa_bind_stats *s);

/*
 * Lookups (any lcore). The returned entry stays valid until the caller's
 * next quiescent-state report. NULL: no binding (or a dead one).
 */
const struct dsa_fwd *dsa_bind_lookup4(const struct dsa_bind_table *t, rte_be32_t addr);
const struct dsa_fwd *dsa_bind_lookup6(const struct dsa_bind_table *t, const uint8_t *addr);
/* Bulk: n <= 64. keys point at the address bytes (4 or 16). */
void dsa_bind_lookup4_bulk(const struct dsa_bind_table *t, const void **keys, unsigned int n,
        const struct dsa_fwd **out);
void dsa_bind_lookup6_bulk(const struct dsa_bind_table *t, const void **keys, unsigned int n,
        const struct dsa_fwd **out);

/* Keys from addresses. */
void dsa_bind_key_v4(struct dsa_bind_key *k, rte_be32_t addr);
void dsa_bind_key_v6p(struct dsa_bind_key *k, const uint8_t *prefix);
void dsa_bind_key_v6h(struct dsa_bind_key *k, const uint8_t *addr);

uint32_t dsa_fwd_csum(const struct dsa_fwd *f);
static inline bool
dsa_fwd_csum_ok(const struct dsa_fwd *f)
{
	return dsa_fwd_csum(f) == f->csum;
}

/* Bytes the tunnel adds in front of the inner packet (outer IP + GRE). */
static inline unsigned int
dsa_fwd_overhead(const struct dsa_fwd *f)
{
	return (f->outer_af == AF_INET6 ? 40 : 20) + ((f->flags & DSA_FWD_GRE) ? 8 : 0);
}

#endif /* DSA_BIND_H */
