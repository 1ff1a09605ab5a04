/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit test of lib/binding: the API with tables of a few entries and of 1M
 * entries (add, lookup single and bulk, /128 before /64, replace, delete,
 * full table, stats), entry reclamation through QSBR and the defer queues
 * (the entry pool must not leak), and the notices on an update ring.
 *
 * One thread plays both roles: control (the writer) and a registered,
 * online QSBR reader (thread id 0) that reports its quiescent state between
 * phases and every few hundred writes. EAL without hugepages.
 *
 * usage: test_bind
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_mempool.h>
#include <rte_rcu_qsbr.h>
#include <rte_ring.h>

#include "dsa_bind.h"
#include "check.h"

static struct rte_rcu_qsbr *qsv;

/* The reader (thread 0, this thread) passes a quiescent state. */
static void
qs(void)
{
	rte_rcu_qsbr_quiescent(qsv, 0);
}

/* Quiescent state, then reclaim until the defer queue is drained. */
static void
qs_reclaim(struct dsa_bind_table *t)
{
	qs();
	for (int i = 0; i < 4096; i++)
		dsa_bind_reclaim(t);
}

static double
now(void)
{
	return (double)rte_get_timer_cycles() / (double)rte_get_timer_hz();
}

/* A forwarding entry whose content encodes n (and a variant v). */
static struct dsa_fwd
mkfwd(uint32_t n, uint32_t v)
{
	struct dsa_fwd f;

	memset(&f, 0, sizeof(f));
	f.outer_af = (n + v) & 1 ? AF_INET : AF_INET6;
	f.flags = (n & 2) ? DSA_FWD_GRE : 0;
	f.nh = (uint16_t)(n * 7 + v);
	f.mtu = (uint16_t)(1280 + (v % 200));
	f.gre_key = rte_cpu_to_be_32(n);
	f.id = n;
	f.outer.v6.src[0] = 0x20;
	f.outer.v6.src[15] = (uint8_t)v;
	f.outer.v6.dst[0] = 0x20;
	memcpy(f.outer.v6.dst + 8, &n, 4);
	memcpy(f.outer.v6.dst + 12, &v, 4);
	return f;
}

/* Same content as e (gen and csum aside), gen and csum right. */
static bool
fwd_is(const struct dsa_fwd *got, const struct dsa_fwd *e)
{
	struct dsa_fwd a = *got, b = *e;

	if (!dsa_fwd_csum_ok(got) || got->gen == 0)
		return false;
	a.gen = b.gen = 0;
	a.csum = b.csum = 0;
	return memcmp(&a, &b, sizeof(a)) == 0;
}

static void
v4addr(uint32_t i, rte_be32_t *a)
{
	*a = rte_cpu_to_be_32(0x0a000000u + i); /* 10.0.0.0 + i */
}

/* 2001:db8:XXXX:XXXX::/64 with i in the third and fourth groups; host part h. */
static void
v6addr(uint32_t i, uint64_t h, uint8_t *a)
{
	a[0] = 0x20;
	a[1] = 0x01;
	a[2] = 0x0d;
	a[3] = 0xb8;
	a[4] = i >> 24;
	a[5] = i >> 16;
	a[6] = i >> 8;
	a[7] = i;
	for (int k = 0; k < 8; k++)
		a[8 + k] = (uint8_t)(h >> (56 - 8 * k));
}

static struct rte_mempool *
entry_pool(const char *name)
{
	char pn[RTE_MEMPOOL_NAMESIZE];

	snprintf(pn, sizeof(pn), "%s_fwd", name);
	return rte_mempool_lookup(pn);
}

/* ---------------------------------------------------------------- */
/* Notices                                                           */

static struct rte_ring *ring;

static void
expect_notice(uint8_t op, const struct dsa_bind_key *k, uint32_t gen)
{
	struct dsa_bind_notice n;

	memset(&n, 0, sizeof(n));
	CHECK_EQ(rte_ring_sc_dequeue_elem(ring, &n, sizeof(n)), 0);
	CHECK_EQ(n.op, op);
	CHECK_EQ(n.gen, gen);
	CHECK(memcmp(&n.key, k, sizeof(*k)) == 0);
	CHECK(n.tsc != 0);
}

static void
expect_no_notice(void)
{
	CHECK_EQ(rte_ring_count(ring), 0);
}

static uint32_t
gen_of(struct dsa_bind_table *t)
{
	struct dsa_bind_stats s;

	dsa_bind_stats_get(t, &s);
	return s.gen;
}

/* ---------------------------------------------------------------- */
/* Small tables                                                      */

static void
test_small(void)
{
	struct dsa_bind_params p = {
		.name = "bs",
		.socket_id = SOCKET_ID_ANY,
		.n_v4 = 1,
		.n_v6p = 1,
		.n_v6h = 1,
		.qsv = qsv,
		.n_rings = 1,
		.rings = &ring,
	};
	struct dsa_bind_table *t;
	struct dsa_bind_stats s;
	struct dsa_bind_key k, k2, kp, kh, kbad;
	struct dsa_fwd f, f2;
	const struct dsa_fwd *e, *e2, *out[8];
	const void *keys[8];
	rte_be32_t a4, b4;
	uint8_t a6[16], b6[16], c6[16];
	struct rte_mempool *mp;
	unsigned int pool_size;
	uint32_t g;

	set_ctx("small create");
	ring = rte_ring_create_elem("bs_upd", sizeof(struct dsa_bind_notice), 64, SOCKET_ID_ANY,
	        RING_F_SP_ENQ | RING_F_SC_DEQ);
	CHECK(ring != NULL);
	t = dsa_bind_create(&p);
	CHECK(t != NULL);
	if (t == NULL || ring == NULL)
		return;
	mp = entry_pool(p.name);
	CHECK(mp != NULL);
	pool_size = mp ? mp->size : 0;
	dsa_bind_stats_get(t, &s);
	for (int i = 0; i < DSA_BIND_NKINDS; i++) {
		CHECK_EQ(s.count[i], 0);
		CHECK(s.capacity[i] >= 1);
	}
	CHECK_EQ(s.sets, 0);
	CHECK_EQ(s.dels, 0);
	CHECK_EQ(s.gen, 0);

	/* Empty tables. */
	set_ctx("small empty lookups");
	v4addr(1, &a4);
	v4addr(2, &b4);
	v6addr(0x10002, 5, a6);
	v6addr(0x10002, 6, b6);
	v6addr(0x10003, 5, c6);
	CHECK(dsa_bind_lookup4(t, a4) == NULL);
	CHECK(dsa_bind_lookup6(t, a6) == NULL);
	keys[0] = &a4;
	out[0] = (void *)1;
	dsa_bind_lookup4_bulk(t, keys, 1, out);
	CHECK(out[0] == NULL);
	keys[0] = a6;
	out[0] = (void *)1;
	dsa_bind_lookup6_bulk(t, keys, 1, out);
	CHECK(out[0] == NULL);
	dsa_bind_lookup4_bulk(t, keys, 0, out); /* n = 0 is fine */

	/* Add. */
	set_ctx("small add v4");
	dsa_bind_key_v4(&k, a4);
	CHECK_EQ(k.kind, DSA_BIND_V4);
	CHECK(memcmp(k.addr, &a4, 4) == 0);
	f = mkfwd(1, 0);
	CHECK_EQ(dsa_bind_set(t, &k, &f), 0);
	expect_notice(DSA_BIND_OP_SET, &k, 1);
	e = dsa_bind_lookup4(t, a4);
	CHECK(e != NULL);
	if (e != NULL) {
		CHECK(fwd_is(e, &f));
		CHECK_EQ(e->gen, 1);
		CHECK(dsa_fwd_csum_ok(e));
		CHECK_EQ(e->csum, dsa_fwd_csum(e));
	}
	CHECK(dsa_bind_lookup4(t, b4) == NULL);
	CHECK(dsa_bind_lookup6(t, a6) == NULL);
	keys[0] = &b4;
	keys[1] = &a4;
	keys[2] = &b4;
	dsa_bind_lookup4_bulk(t, keys, 3, out);
	CHECK(out[0] == NULL);
	CHECK(out[1] == e);
	CHECK(out[2] == NULL);
	dsa_bind_stats_get(t, &s);
	CHECK_EQ(s.count[DSA_BIND_V4], 1);
	CHECK_EQ(s.sets, 1);
	CHECK_EQ(s.gen, 1);

	/* Replace: the next lookup sees the new entry, with a higher generation. */
	set_ctx("small replace v4");
	f2 = mkfwd(1, 99);
	CHECK(memcmp(f2.outer.v6.dst, f.outer.v6.dst, 16) != 0);
	CHECK_EQ(dsa_bind_set(t, &k, &f2), 0);
	expect_notice(DSA_BIND_OP_SET, &k, 2);
	e2 = dsa_bind_lookup4(t, a4);
	CHECK(e2 != NULL);
	if (e2 != NULL) {
		CHECK(e2 != e); /* a new entry, the old one untouched until reclaimed */
		CHECK(fwd_is(e2, &f2));
		CHECK(e2->gen > e->gen);
		CHECK(dsa_fwd_csum_ok(e2));
		CHECK(fwd_is(e, &f)); /* still readable: no grace period has passed */
	}
	keys[0] = &a4;
	dsa_bind_lookup4_bulk(t, keys, 1, out);
	CHECK(out[0] == e2);
	dsa_bind_stats_get(t, &s);
	CHECK_EQ(s.count[DSA_BIND_V4], 1);
	CHECK_EQ(s.sets, 2);

	/* Reclaim: the replaced entry goes back to the pool after a quiescent state. */
	set_ctx("small reclaim");
	if (mp != NULL) {
		dsa_bind_reclaim(t);
		CHECK_EQ(rte_mempool_avail_count(mp), pool_size - 2); /* grace period not over */
		qs_reclaim(t);
		CHECK_EQ(rte_mempool_avail_count(mp), pool_size - 1);
	}

	/* Delete. */
	set_ctx("small delete v4");
	g = gen_of(t);
	CHECK_EQ(dsa_bind_del(t, &k), 0);
	expect_notice(DSA_BIND_OP_DEL, &k, g + 1);
	CHECK(dsa_bind_lookup4(t, a4) == NULL);
	keys[0] = &a4;
	dsa_bind_lookup4_bulk(t, keys, 1, out);
	CHECK(out[0] == NULL);
	CHECK_EQ(dsa_bind_del(t, &k), -ENOENT);
	expect_no_notice();
	dsa_bind_stats_get(t, &s);
	CHECK_EQ(s.count[DSA_BIND_V4], 0);
	CHECK_EQ(s.dels, 1);
	CHECK_EQ(s.gen, g + 1);

	/* Bad input. */
	set_ctx("small bad input");
	kbad = k;
	kbad.kind = DSA_BIND_NKINDS;
	CHECK_EQ(dsa_bind_set(t, &kbad, &f), -EINVAL);
	CHECK_EQ(dsa_bind_del(t, &kbad), -EINVAL);
	f2 = f;
	f2.outer_af = 0;
	CHECK_EQ(dsa_bind_set(t, &k, &f2), -EINVAL);
	f2.outer_af = 17;
	CHECK_EQ(dsa_bind_set(t, &k, &f2), -EINVAL);
	CHECK(dsa_bind_lookup4(t, a4) == NULL);
	expect_no_notice();

	/* IPv6: /128 looked up before /64. */
	set_ctx("small v6 /128 before /64");
	dsa_bind_key_v6p(&kp, a6);
	CHECK_EQ(kp.kind, DSA_BIND_V6P);
	CHECK(memcmp(kp.addr, a6, 8) == 0);
	for (int i = 8; i < 16; i++)
		CHECK_EQ(kp.addr[i], 0);
	dsa_bind_key_v6h(&kh, a6);
	CHECK_EQ(kh.kind, DSA_BIND_V6H);
	CHECK(memcmp(kh.addr, a6, 16) == 0);
	struct dsa_fwd fp = mkfwd(100, 0), fh = mkfwd(200, 0);
	g = gen_of(t);
	CHECK_EQ(dsa_bind_set(t, &kp, &fp), 0);
	expect_notice(DSA_BIND_OP_SET, &kp, g + 1);
	e = dsa_bind_lookup6(t, a6);
	CHECK(e != NULL && fwd_is(e, &fp));
	e = dsa_bind_lookup6(t, b6); /* any host in the /64 */
	CHECK(e != NULL && fwd_is(e, &fp));
	CHECK(dsa_bind_lookup6(t, c6) == NULL);
	CHECK_EQ(dsa_bind_set(t, &kh, &fh), 0);
	expect_notice(DSA_BIND_OP_SET, &kh, g + 2);
	e = dsa_bind_lookup6(t, a6);
	CHECK(e != NULL && fwd_is(e, &fh));
	e = dsa_bind_lookup6(t, b6);
	CHECK(e != NULL && fwd_is(e, &fp));
	CHECK(dsa_bind_lookup6(t, c6) == NULL);
	keys[0] = a6;
	keys[1] = b6;
	keys[2] = c6;
	keys[3] = a6;
	dsa_bind_lookup6_bulk(t, keys, 4, out);
	CHECK(out[0] == dsa_bind_lookup6(t, a6));
	CHECK(out[0] != NULL && fwd_is(out[0], &fh));
	CHECK(out[1] != NULL && fwd_is(out[1], &fp));
	CHECK(out[2] == NULL);
	CHECK(out[3] == out[0]);
	/* The /128 key alone in the bulk (no /64 fallback needed). */
	keys[0] = a6;
	dsa_bind_lookup6_bulk(t, keys, 1, out);
	CHECK(out[0] != NULL && fwd_is(out[0], &fh));
	/* The IPv6 keys do not reach the IPv4 table. */
	CHECK(dsa_bind_lookup4(t, a4) == NULL);
	dsa_bind_stats_get(t, &s);
	CHECK_EQ(s.count[DSA_BIND_V6P], 1);
	CHECK_EQ(s.count[DSA_BIND_V6H], 1);

	set_ctx("small v6 delete /128: the /64 shows again");
	g = gen_of(t);
	CHECK_EQ(dsa_bind_del(t, &kh), 0);
	expect_notice(DSA_BIND_OP_DEL, &kh, g + 1);
	e = dsa_bind_lookup6(t, a6);
	CHECK(e != NULL && fwd_is(e, &fp));
	keys[0] = a6;
	keys[1] = c6;
	dsa_bind_lookup6_bulk(t, keys, 2, out);
	CHECK(out[0] != NULL && fwd_is(out[0], &fp));
	CHECK(out[1] == NULL);
	CHECK_EQ(dsa_bind_del(t, &kh), -ENOENT);

	set_ctx("small v6 delete /64, /128 only");
	CHECK_EQ(dsa_bind_set(t, &kh, &fh), 0);
	CHECK_EQ(dsa_bind_del(t, &kp), 0);
	expect_notice(DSA_BIND_OP_SET, &kh, g + 2);
	expect_notice(DSA_BIND_OP_DEL, &kp, g + 3);
	e = dsa_bind_lookup6(t, a6);
	CHECK(e != NULL && fwd_is(e, &fh));
	CHECK(dsa_bind_lookup6(t, b6) == NULL);
	keys[0] = b6;
	keys[1] = a6;
	dsa_bind_lookup6_bulk(t, keys, 2, out);
	CHECK(out[0] == NULL);
	CHECK(out[1] != NULL && fwd_is(out[1], &fh));
	CHECK_EQ(dsa_bind_del(t, &kh), 0);
	expect_notice(DSA_BIND_OP_DEL, &kh, g + 4);
	CHECK(dsa_bind_lookup6(t, a6) == NULL);
	qs_reclaim(t);

	/* Dead entries are misses; single and bulk lookups agree. */
	set_ctx("small dead entries");
	f2 = mkfwd(7, 7);
	f2.flags |= DSA_FWD_DEAD;
	CHECK_EQ(dsa_bind_set(t, &k, &f2), 0);
	CHECK(dsa_bind_lookup4(t, a4) == NULL);
	keys[0] = &a4;
	dsa_bind_lookup4_bulk(t, keys, 1, out);
	CHECK(out[0] == NULL);
	CHECK_EQ(dsa_bind_del(t, &k), 0);
	CHECK_EQ(dsa_bind_set(t, &kp, &fp), 0);
	fh.flags |= DSA_FWD_DEAD;
	CHECK_EQ(dsa_bind_set(t, &kh, &fh), 0);
	e = dsa_bind_lookup6(t, a6);
	keys[0] = a6;
	dsa_bind_lookup6_bulk(t, keys, 1, out);
	set_ctx("small dead /128 over a live /64: single == bulk");
	CHECK(e == out[0]);
	if (e != out[0])
		fprintf(stderr,
		        "  dead /128 over a live /64: dsa_bind_lookup6 -> %s, "
		        "dsa_bind_lookup6_bulk -> %s\n",
		        e == NULL      ? "NULL"
		        : e->id == 100 ? "the /64 entry"
		                       : "?",
		        out[0] == NULL      ? "NULL"
		        : out[0]->id == 100 ? "the /64 entry"
		                            : "?");
	CHECK_EQ(dsa_bind_del(t, &kh), 0);
	CHECK_EQ(dsa_bind_del(t, &kp), 0);
	fh.flags &= ~DSA_FWD_DEAD;
	while (rte_ring_count(ring) != 0) {
		struct dsa_bind_notice n;

		rte_ring_sc_dequeue_elem(ring, &n, sizeof(n));
	}
	qs_reclaim(t);

	/* Full table: -ENOSPC, nothing else changes; replace still works. */
	set_ctx("small full table");
	dsa_bind_stats_get(t, &s);
	uint32_t cap = s.capacity[DSA_BIND_V4];
	uint64_t fails = s.set_fail;
	CHECK(cap >= 1 && cap <= 64);
	for (uint32_t i = 0; i < cap; i++) {
		rte_be32_t a;

		v4addr(1000 + i, &a);
		dsa_bind_key_v4(&k2, a);
		f2 = mkfwd(1000 + i, 0);
		CHECK_EQ(dsa_bind_set(t, &k2, &f2), 0);
	}
	v4addr(1000 + cap, &b4);
	dsa_bind_key_v4(&k2, b4);
	g = gen_of(t);
	CHECK_EQ(dsa_bind_set(t, &k2, &f), -ENOSPC);
	CHECK(dsa_bind_lookup4(t, b4) == NULL);
	dsa_bind_stats_get(t, &s);
	CHECK_EQ(s.count[DSA_BIND_V4], cap);
	CHECK_EQ(s.set_fail, fails + 1);
	CHECK_EQ(s.gen, g);
	v4addr(1000, &a4);
	dsa_bind_key_v4(&k, a4);
	f2 = mkfwd(1000, 5);
	CHECK_EQ(dsa_bind_set(t, &k, &f2), 0); /* replace in a full table */
	e = dsa_bind_lookup4(t, a4);
	CHECK(e != NULL && fwd_is(e, &f2));
	for (uint32_t i = 0; i < cap; i++) {
		rte_be32_t a;

		v4addr(1000 + i, &a);
		e = dsa_bind_lookup4(t, a);
		CHECK(e != NULL && e->id == 1000 + i);
	}
	/* Free a slot: the new key fits once the reader has passed a quiescent state. */
	set_ctx("small full table, one deleted");
	CHECK_EQ(dsa_bind_del(t, &k), 0);
	qs();
	f2 = mkfwd(1000 + cap, 0);
	CHECK_EQ(dsa_bind_set(t, &k2, &f2), 0);
	e = dsa_bind_lookup4(t, b4);
	CHECK(e != NULL && fwd_is(e, &f2));
	CHECK_EQ(dsa_bind_set(t, &k, &f2), -ENOSPC);
	while (rte_ring_count(ring) != 0) {
		struct dsa_bind_notice n;

		rte_ring_sc_dequeue_elem(ring, &n, sizeof(n));
	}

	/* The update ring full: notices dropped and counted, the change still made. */
	set_ctx("small ring full");
	dsa_bind_stats_get(t, &s);
	uint64_t dropped0 = s.notices_dropped;
	unsigned int room = rte_ring_free_count(ring);
	for (unsigned int i = 0; i < room + 5; i++) {
		f2 = mkfwd(1000 + cap, i + 1);
		CHECK_EQ(dsa_bind_set(t, &k2, &f2), 0);
		if (i % 64 == 0)
			qs_reclaim(t);
	}
	e = dsa_bind_lookup4(t, b4);
	CHECK(e != NULL && fwd_is(e, &f2));
	dsa_bind_stats_get(t, &s);
	CHECK_EQ(s.notices_dropped, dropped0 + 5);
	CHECK_EQ(rte_ring_count(ring), room);
	g = s.gen;
	for (unsigned int i = 0; i < room; i++)
		expect_notice(DSA_BIND_OP_SET, &k2, g - 5 - room + 1 + i);

	/* Empty the table again. */
	for (uint32_t i = 1; i <= cap; i++) {
		rte_be32_t a;

		v4addr(1000 + i, &a);
		dsa_bind_key_v4(&k2, a);
		CHECK_EQ(dsa_bind_del(t, &k2), 0);
		qs();
	}
	while (rte_ring_count(ring) != 0) {
		struct dsa_bind_notice n;

		rte_ring_sc_dequeue_elem(ring, &n, sizeof(n));
	}

	/* 3M replacements of one key: the pool does not leak. */
	set_ctx("small 3M replacements");
	v4addr(1, &a4);
	dsa_bind_key_v4(&k, a4);
	dsa_bind_stats_get(t, &s);
	g = s.gen;
	uint64_t sets0 = s.sets;
	bulk_failures = 0;
	double t0 = now();
	for (uint32_t i = 0; i < 3000000; i++) {
		f2 = mkfwd(1, i);
		int r = dsa_bind_set(t, &k, &f2);
		CHECK_MANY(r == 0);
		if ((i & 255) == 255) {
			qs();
			dsa_bind_reclaim(t);
			rte_ring_reset(ring); /* nobody reads the notices here */
		}
	}
	printf("3M replacements: %.2f s\n", now() - t0);
	f2 = mkfwd(1, 4000000);
	CHECK_EQ(dsa_bind_set(t, &k, &f2), 0);
	e = dsa_bind_lookup4(t, a4);
	CHECK(e != NULL && fwd_is(e, &f2));
	CHECK(e != NULL && e->gen == g + 3000001);
	dsa_bind_stats_get(t, &s);
	CHECK_EQ(s.sets, sets0 + 3000001);
	CHECK_EQ(s.count[DSA_BIND_V4], 1);

	/* Add/delete cycles: deleted entries are reclaimed too. */
	set_ctx("small 100k add/delete cycles");
	bulk_failures = 0;
	for (uint32_t i = 0; i < 100000; i++) {
		v4addr(50000 + (i & 3), &b4);
		dsa_bind_key_v4(&k2, b4);
		f2 = mkfwd(i, 1);
		CHECK_MANY(dsa_bind_set(t, &k2, &f2) == 0);
		CHECK_MANY(dsa_bind_del(t, &k2) == 0);
		qs();
		if ((i & 255) == 255) {
			dsa_bind_reclaim(t);
			rte_ring_reset(ring);
		}
	}
	rte_ring_reset(ring);
	qs_reclaim(t);
	if (mp != NULL) {
		/* One live entry; deleted ones wait in rte_hash's own defer queue until
		 * the next delete reclaims them: a handful at most. */
		unsigned int avail = rte_mempool_avail_count(mp);

		CHECK(avail <= pool_size - 1);
		CHECK(avail >= pool_size - 1 - 64);
		printf("entry pool: %u of %u free, 1 live\n", avail, pool_size);
	}
	CHECK_EQ(dsa_bind_del(t, &k), 0);
	qs_reclaim(t);
	dsa_bind_free(t);
	rte_ring_free(ring);
	ring = NULL;
}

/* ---------------------------------------------------------------- */
/* 1M entries                                                        */

#define BIG (1u << 20)

static void
test_big(void)
{
	struct dsa_bind_params p = {
		.name = "bb",
		.socket_id = SOCKET_ID_ANY,
		.n_v4 = BIG,
		.n_v6p = BIG,
		.n_v6h = 4096,
		.qsv = qsv,
	};
	struct dsa_bind_table *t;
	struct dsa_bind_stats s;
	struct dsa_bind_key k;
	struct dsa_fwd f;
	const struct dsa_fwd *e, *out[64];
	const void *keys[64];
	static rte_be32_t a4s[64];
	static uint8_t a6s[64][16];
	uint8_t a6[16];
	rte_be32_t a4;
	double t0 = now(), t1;
	int r;

	set_ctx("1M create");
	t = dsa_bind_create(&p);
	CHECK(t != NULL);
	if (t == NULL) {
		fprintf(stderr, "dsa_bind_create: %s\n", rte_strerror(rte_errno));
		return;
	}
	printf("1M: create %.2f s\n", now() - t0);

	/* Fill both tables. */
	set_ctx("1M add");
	bulk_failures = 0;
	t1 = now();
	for (uint32_t i = 0; i < BIG; i++) {
		v4addr(i, &a4);
		dsa_bind_key_v4(&k, a4);
		f = mkfwd(i, 0);
		CHECK_MANY(dsa_bind_set(t, &k, &f) == 0);
		v6addr(i, 0, a6);
		dsa_bind_key_v6p(&k, a6);
		f = mkfwd(i, 1);
		CHECK_MANY(dsa_bind_set(t, &k, &f) == 0);
	}
	printf("1M: 2M adds %.2f s\n", now() - t1);
	dsa_bind_stats_get(t, &s);
	CHECK_EQ(s.count[DSA_BIND_V4], BIG);
	CHECK_EQ(s.count[DSA_BIND_V6P], BIG);
	CHECK_EQ(s.count[DSA_BIND_V6H], 0);
	CHECK_EQ(s.capacity[DSA_BIND_V4], BIG);
	CHECK_EQ(s.capacity[DSA_BIND_V6P], BIG);
	CHECK_EQ(s.sets, 2ull * BIG);
	CHECK_EQ(s.gen, 2u * BIG);

	/* Full: one more key in each is refused, cleanly. */
	set_ctx("1M full");
	v4addr(BIG, &a4);
	dsa_bind_key_v4(&k, a4);
	f = mkfwd(BIG, 0);
	CHECK_EQ(dsa_bind_set(t, &k, &f), -ENOSPC);
	CHECK(dsa_bind_lookup4(t, a4) == NULL);
	v6addr(BIG, 0, a6);
	dsa_bind_key_v6p(&k, a6);
	CHECK_EQ(dsa_bind_set(t, &k, &f), -ENOSPC);
	CHECK(dsa_bind_lookup6(t, a6) == NULL);
	dsa_bind_stats_get(t, &s);
	CHECK_EQ(s.set_fail, 2);
	CHECK_EQ(s.count[DSA_BIND_V4], BIG);
	CHECK_EQ(s.gen, 2u * BIG);
	qs();

	/* Single and bulk lookups of every key. */
	set_ctx("1M lookups");
	bulk_failures = 0;
	t1 = now();
	for (uint32_t i = 0; i < BIG; i += 64) {
		for (uint32_t j = 0; j < 64; j++) {
			v4addr(i + j, &a4s[j]);
			keys[j] = &a4s[j];
		}
		dsa_bind_lookup4_bulk(t, keys, 64, out);
		for (uint32_t j = 0; j < 64; j++) {
			e = dsa_bind_lookup4(t, a4s[j]);
			CHECK_MANY(e != NULL && e == out[j] && dsa_fwd_csum_ok(e) &&
			           e->id == i + j && e->outer.v6.src[15] == 0);
		}
		for (uint32_t j = 0; j < 64; j++) {
			v6addr(i + j, 0x1234567800000000ull + j, a6s[j]);
			keys[j] = a6s[j];
		}
		dsa_bind_lookup6_bulk(t, keys, 64, out);
		for (uint32_t j = 0; j < 64; j++) {
			e = dsa_bind_lookup6(t, a6s[j]);
			CHECK_MANY(e != NULL && e == out[j] && dsa_fwd_csum_ok(e) &&
			           e->id == i + j && e->outer.v6.src[15] == 1);
		}
		if ((i & 4095) == 0)
			qs();
	}
	/* Misses. */
	for (uint32_t j = 0; j < 64; j++) {
		v4addr(BIG + 1 + j * 977, &a4s[j]);
		keys[j] = &a4s[j];
	}
	dsa_bind_lookup4_bulk(t, keys, 64, out);
	for (uint32_t j = 0; j < 64; j++)
		CHECK_MANY(out[j] == NULL && dsa_bind_lookup4(t, a4s[j]) == NULL);
	printf("1M: 4M lookups %.2f s\n", now() - t1);

	/* /128 entries inside some of the /64s: looked up first. */
	set_ctx("1M /128 before /64");
	for (uint32_t i = 0; i < 4096; i++) {
		v6addr(i * 256, 0x55, a6);
		dsa_bind_key_v6h(&k, a6);
		f = mkfwd(i * 256, 2);
		CHECK_MANY(dsa_bind_set(t, &k, &f) == 0);
	}
	v6addr(4096 * 256, 0x55, a6);
	dsa_bind_key_v6h(&k, a6);
	CHECK_EQ(dsa_bind_set(t, &k, &f), -ENOSPC);
	for (uint32_t i = 0; i < 4096 * 256; i += 64) {
		for (uint32_t j = 0; j < 64; j++) {
			v6addr(i + j, 0x55, a6s[j]);
			keys[j] = a6s[j];
		}
		dsa_bind_lookup6_bulk(t, keys, 64, out);
		for (uint32_t j = 0; j < 64; j++) {
			uint8_t v = (i + j) % 256 == 0 ? 2 : 1;

			e = dsa_bind_lookup6(t, a6s[j]);
			CHECK_MANY(e != NULL && e == out[j] && e->id == i + j &&
			           e->outer.v6.src[15] == v);
		}
		if ((i & 4095) == 0)
			qs();
	}
	/* Other hosts in the same /64 get the /64 entry. */
	v6addr(256, 0x56, a6);
	e = dsa_bind_lookup6(t, a6);
	CHECK(e != NULL && e->id == 256 && e->outer.v6.src[15] == 1);

	/* Replace every IPv4 entry. */
	set_ctx("1M replace");
	bulk_failures = 0;
	t1 = now();
	for (uint32_t i = 0; i < BIG; i++) {
		v4addr(i, &a4);
		dsa_bind_key_v4(&k, a4);
		f = mkfwd(i, 3);
		CHECK_MANY(dsa_bind_set(t, &k, &f) == 0);
		if ((i & 255) == 255) {
			qs();
			dsa_bind_reclaim(t);
		}
	}
	printf("1M: 1M replacements %.2f s\n", now() - t1);
	bulk_failures = 0;
	for (uint32_t i = 0; i < BIG; i++) {
		v4addr(i, &a4);
		e = dsa_bind_lookup4(t, a4);
		CHECK_MANY(e != NULL && dsa_fwd_csum_ok(e) && e->id == i &&
		           e->outer.v6.src[15] == 3 && e->gen > 2u * BIG);
	}
	dsa_bind_stats_get(t, &s);
	CHECK_EQ(s.count[DSA_BIND_V4], BIG);
	qs_reclaim(t);

	/* Delete every IPv4 entry, then add them all again (slots and entries reclaimed). */
	set_ctx("1M delete");
	bulk_failures = 0;
	t1 = now();
	for (uint32_t i = 0; i < BIG; i++) {
		v4addr(i, &a4);
		dsa_bind_key_v4(&k, a4);
		CHECK_MANY(dsa_bind_del(t, &k) == 0);
		if ((i & 255) == 255)
			qs();
	}
	printf("1M: 1M deletes %.2f s\n", now() - t1);
	dsa_bind_stats_get(t, &s);
	CHECK_EQ(s.count[DSA_BIND_V4], 0);
	CHECK_EQ(s.dels, BIG);
	bulk_failures = 0;
	for (uint32_t i = 0; i < BIG; i += 997) {
		v4addr(i, &a4);
		dsa_bind_key_v4(&k, a4);
		CHECK_MANY(dsa_bind_lookup4(t, a4) == NULL);
		CHECK_MANY(dsa_bind_del(t, &k) == -ENOENT);
	}
	qs();

	set_ctx("1M add again after delete");
	bulk_failures = 0;
	t1 = now();
	for (uint32_t i = 0; i < BIG; i++) {
		v4addr(i, &a4);
		dsa_bind_key_v4(&k, a4);
		f = mkfwd(i, 4);
		r = dsa_bind_set(t, &k, &f);
		CHECK_MANY(r == 0);
		if (r != 0 && bulk_failures < 3)
			fprintf(stderr, "  key %u: %d\n", i, r);
		if ((i & 255) == 255)
			qs();
	}
	printf("1M: 1M adds after delete %.2f s\n", now() - t1);
	dsa_bind_stats_get(t, &s);
	CHECK_EQ(s.count[DSA_BIND_V4], BIG);
	v4addr(12345, &a4);
	e = dsa_bind_lookup4(t, a4);
	CHECK(e != NULL && e->id == 12345 && e->outer.v6.src[15] == 4);

	qs_reclaim(t);
	dsa_bind_free(t);
	printf("1M: total %.2f s\n", now() - t0);
}

int
main(int argc, char **argv)
{
	char prefix[64];
	char *eal[] = { argv[0], "--no-huge", "-m", "2048", "--no-pci", "--file-prefix", prefix,
		"-l", "0-1", "--log-level", "warning" };
	size_t sz;

	(void)argc;
	snprintf(prefix, sizeof(prefix), "dsa-unit-bind-%d", (int)getpid());
	if (rte_eal_init(RTE_DIM(eal), eal) < 0) {
		fprintf(stderr, "rte_eal_init: %s\n", rte_strerror(rte_errno));
		return 2;
	}
	sz = rte_rcu_qsbr_get_memsize(1);
	qsv = rte_zmalloc("qsv", sz, RTE_CACHE_LINE_SIZE);
	if (qsv == NULL || rte_rcu_qsbr_init(qsv, 1) != 0 ||
	        rte_rcu_qsbr_thread_register(qsv, 0) != 0) {
		fprintf(stderr, "QSBR setup failed\n");
		return 2;
	}
	rte_rcu_qsbr_thread_online(qsv, 0);

	test_small();
	test_big();

	rte_rcu_qsbr_thread_offline(qsv, 0);
	rte_rcu_qsbr_thread_unregister(qsv, 0);
	rte_free(qsv);
	rte_eal_cleanup();
	return check_summary();
}
