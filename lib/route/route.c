/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdio.h>

#include <rte_errno.h>
#include <rte_fib.h>
#include <rte_fib6.h>
#include <rte_log.h>
#include <rte_malloc.h>

#include "dsa_route.h"

RTE_LOG_REGISTER_SUFFIX(route_logtype, route, NOTICE);
#define LOG(level, ...) rte_log(RTE_LOG_##level, route_logtype, "route: " __VA_ARGS__)

struct dsa_route_table {
	struct rte_fib *fib4;
	struct rte_fib6 *fib6;
	uint32_t n_nh;
	uint32_t max_nh;
	struct dsa_nh *nh; /* nh[0] is the "no route" entry */
};

struct dsa_route_table *
dsa_route_create(const struct dsa_route_params *p)
{
	struct rte_fib_conf c4 = { 0 };
	struct rte_fib6_conf c6 = { 0 };
	struct dsa_route_table *rt;
	char name[RTE_MEMZONE_NAMESIZE];

	rt = rte_zmalloc_socket("dsa_route", sizeof(*rt), RTE_CACHE_LINE_SIZE, p->socket_id);
	if (rt == NULL)
		goto nomem;
	rt->max_nh = RTE_MIN(p->max_nh, (uint32_t)DSA_MAX_NH);
	rt->nh = rte_zmalloc_socket(
	        "dsa_nh", sizeof(struct dsa_nh) * rt->max_nh, RTE_CACHE_LINE_SIZE, p->socket_id);
	if (rt->nh == NULL)
		goto nomem;
	rt->n_nh = 1;

	c4.type = RTE_FIB_DIR24_8;
	c4.default_nh = 0;
	c4.max_routes = p->max_routes;
	c4.dir24_8.nh_sz = RTE_FIB_DIR24_8_2B;
	c4.dir24_8.num_tbl8 = RTE_MIN(p->max_routes, 1u << 12);
	snprintf(name, sizeof(name), "%s_fib4", p->name);
	rt->fib4 = rte_fib_create(name, p->socket_id, &c4);
	if (rt->fib4 == NULL)
		goto fail;

	c6.type = RTE_FIB6_TRIE;
	c6.default_nh = 0;
	c6.max_routes = p->max_routes;
	c6.trie.nh_sz = RTE_FIB6_TRIE_2B;
	c6.trie.num_tbl8 = RTE_MIN(p->max_routes * 4, 1u << 14);
	snprintf(name, sizeof(name), "%s_fib6", p->name);
	rt->fib6 = rte_fib6_create(name, p->socket_id, &c6);
	if (rt->fib6 == NULL)
		goto fail;
	return rt;

nomem:
	rte_errno = ENOMEM;
fail:
	LOG(ERR, "cannot create route tables: %s\n", rte_strerror(rte_errno));
	dsa_route_free(rt);
	return NULL;
}

void
dsa_route_free(struct dsa_route_table *rt)
{
	if (rt == NULL)
		return;
	rte_fib_free(rt->fib4);
	rte_fib6_free(rt->fib6);
	rte_free(rt->nh);
	rte_free(rt);
}

/* Find a next hop of this kind, or make one. Returns its index or -ENOSPC. */
static int
nh_get(struct dsa_route_table *rt, enum dsa_nh_type type, const struct dsa_addr *addr,
        uint16_t port, uint16_t mtu)
{
	struct dsa_nh *nh;

	for (uint32_t i = 1; i < rt->n_nh; i++) {
		nh = &rt->nh[i];
		if (nh->type != type)
			continue;
		if (type == DSA_NH_HOME || type == DSA_NH_BLACKHOLE)
			return i;
		if (nh->port == port && dsa_addr_eq(&nh->addr, addr))
			return i;
	}
	if (rt->n_nh >= rt->max_nh)
		return -ENOSPC;
	nh = &rt->nh[rt->n_nh];
	memset(nh, 0, sizeof(*nh));
	nh->type = type;
	nh->port = port;
	nh->mtu = mtu;
	if (addr != NULL)
		nh->addr = *addr;
	/* Publish the filled entry before any FIB slot points at it. */
	__atomic_thread_fence(__ATOMIC_RELEASE);
	return rt->n_nh++;
}

static int
fib_add(struct dsa_route_table *rt, const struct dsa_prefix *pfx, uint16_t nh)
{
	if (pfx->addr.af == AF_INET)
		return rte_fib_add(rt->fib4, rte_be_to_cpu_32(pfx->addr.v4), pfx->len, nh);
	return rte_fib6_add(rt->fib6, pfx->addr.v6, pfx->len, nh);
}

int
dsa_route_add(struct dsa_route_table *rt, const struct dsa_prefix *pfx, enum dsa_nh_type type,
        const struct dsa_addr *via, uint16_t port, uint16_t mtu)
{
	struct dsa_addr none = { 0 };
	int nh;

	if (pfx->addr.af != AF_INET && pfx->addr.af != AF_INET6)
		return -EINVAL;
	if (type == DSA_NH_FWD && (via == NULL || via->af == 0))
		type = DSA_NH_GLEAN;
	if (type == DSA_NH_FWD && via->af != pfx->addr.af)
		return -EINVAL;
	nh = nh_get(rt, type, type == DSA_NH_FWD ? via : &none, port, mtu);
	if (nh < 0)
		return nh;
	return fib_add(rt, pfx, nh);
}

int
dsa_route_neigh_set(struct dsa_route_table *rt, uint16_t port, const struct dsa_addr *addr,
        const struct rte_ether_addr *mac, uint16_t mtu)
{
	struct dsa_prefix host = { .addr = *addr, .len = addr->af == AF_INET ? 32 : 128 };
	int nh;

	nh = nh_get(rt, DSA_NH_FWD, addr, port, mtu);
	if (nh < 0)
		return nh;
	__atomic_store_n(&rt->nh[nh].l2, dsa_nh_l2_pack(mac), __ATOMIC_RELEASE);
	/* An on-link neighbour gets a host route of its own (glean model). */
	if (dsa_route_lookup(rt, addr) != nh)
		return fib_add(rt, &host, nh);
	return 0;
}

uint16_t
dsa_route_lookup(const struct dsa_route_table *rt, const struct dsa_addr *dst)
{
	uint64_t nh = 0;

	if (dst->af == AF_INET) {
		uint32_t ip = rte_be_to_cpu_32(dst->v4);

		rte_fib_lookup_bulk(rt->fib4, &ip, &nh, 1);
	} else if (dst->af == AF_INET6) {
		uint8_t ip[1][16];

		memcpy(ip[0], dst->v6, 16);
		rte_fib6_lookup_bulk(rt->fib6, ip, &nh, 1);
	}
	return nh;
}

void
dsa_route_lookup4_bulk(
        const struct dsa_route_table *rt, const rte_be32_t *ips, uint16_t *out, unsigned int n)
{
	uint32_t host[64];
	uint64_t nh[64];

	while (n != 0) {
		unsigned int k = RTE_MIN(n, 64u);

		for (unsigned int i = 0; i < k; i++)
			host[i] = rte_be_to_cpu_32(ips[i]);
		rte_fib_lookup_bulk(rt->fib4, host, nh, k);
		for (unsigned int i = 0; i < k; i++)
			out[i] = nh[i];
		ips += k;
		out += k;
		n -= k;
	}
}

void
dsa_route_lookup6_bulk(
        const struct dsa_route_table *rt, const uint8_t (*ips)[16], uint16_t *out, unsigned int n)
{
	uint64_t nh[64];

	while (n != 0) {
		unsigned int k = RTE_MIN(n, 64u);

		rte_fib6_lookup_bulk(rt->fib6, (uint8_t(*)[16])ips, nh, k);
		for (unsigned int i = 0; i < k; i++)
			out[i] = nh[i];
		ips += k;
		out += k;
		n -= k;
	}
}

const struct dsa_nh *
dsa_route_nh_table(const struct dsa_route_table *rt)
{
	return rt->nh;
}

uint32_t
dsa_route_nh_count(const struct dsa_route_table *rt)
{
	return rt->n_nh;
}
