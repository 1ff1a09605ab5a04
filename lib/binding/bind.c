/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdio.h>

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_hash.h>
#include <rte_hash_crc.h>
#include <rte_log.h>
#include <rte_malloc.h>
#include <rte_mempool.h>
#include <rte_prefetch.h>

#include "dsa_bind.h"

RTE_LOG_REGISTER_SUFFIX(bind_logtype, binding, NOTICE);
#define LOG(level, ...) rte_log(RTE_LOG_##level, bind_logtype, "binding: " __VA_ARGS__)

#define MAX_RINGS 64

static const uint8_t key_len[DSA_BIND_NKINDS] = { 4, 8, 16 };

/*
 * rte_hash compares 4- and 8-byte keys with libc memcmp; a single load and
 * compare is cheaper on the per-packet path. (16-byte keys already get
 * rte_hash's own vector compare.)
 */
static int
cmp4(const void *a, const void *b, size_t len)
{
	uint32_t x, y;

	RTE_SET_USED(len);
	memcpy(&x, a, 4);
	memcpy(&y, b, 4);
	return x != y;
}

static int
cmp8(const void *a, const void *b, size_t len)
{
	uint64_t x, y;

	RTE_SET_USED(len);
	memcpy(&x, a, 8);
	memcpy(&y, b, 8);
	return x != y;
}

struct dsa_bind_table {
	/* read by every pipeline, written only at create time */
	struct rte_hash *h[DSA_BIND_NKINDS];
	struct rte_mempool *pool;
	struct rte_rcu_qsbr *qsv;
	struct rte_rcu_qsbr_dq *dq; /* entries replaced by a newer one */
	unsigned int n_rings;
	struct rte_ring *rings[MAX_RINGS];

	/* written by control; pipelines read count[] only */
	uint32_t count[DSA_BIND_NKINDS] __rte_cache_aligned;
	uint32_t capacity[DSA_BIND_NKINDS];
	uint32_t gen;
	uint64_t sets, dels, set_fail, notices_dropped, sync_fallbacks;
};

uint32_t
dsa_fwd_csum(const struct dsa_fwd *f)
{
	return rte_hash_crc(f, offsetof(struct dsa_fwd, csum), 0x5eed);
}

void
dsa_bind_key_v4(struct dsa_bind_key *k, rte_be32_t addr)
{
	memset(k, 0, sizeof(*k));
	k->kind = DSA_BIND_V4;
	memcpy(k->addr, &addr, 4);
}

void
dsa_bind_key_v6p(struct dsa_bind_key *k, const uint8_t *prefix)
{
	memset(k, 0, sizeof(*k));
	k->kind = DSA_BIND_V6P;
	memcpy(k->addr, prefix, 8);
}

void
dsa_bind_key_v6h(struct dsa_bind_key *k, const uint8_t *addr)
{
	memset(k, 0, sizeof(*k));
	k->kind = DSA_BIND_V6H;
	memcpy(k->addr, addr, 16);
}

/* Called by rte_hash's defer queue once a deleted key's grace period ends. */
static void
free_deleted_entry(void *p, void *key_data)
{
	struct dsa_bind_table *t = p;

	if (key_data != NULL)
		rte_mempool_put(t->pool, key_data);
}

/* Called by our defer queue for entries that a newer one replaced. */
static void
free_replaced_entries(void *p, void *e, unsigned int n)
{
	struct dsa_bind_table *t = p;
	void **objs = e;

	rte_mempool_put_bulk(t->pool, objs, n);
}

struct dsa_bind_table *
dsa_bind_create(const struct dsa_bind_params *p)
{
	static const char *const kind_name[DSA_BIND_NKINDS] = { "v4", "v6p", "v6h" };
	uint32_t cap[DSA_BIND_NKINDS] = { p->n_v4, p->n_v6p, p->n_v6h };
	struct rte_rcu_qsbr_dq_parameters dqp = { 0 };
	struct dsa_bind_table *t;
	char name[RTE_MEMZONE_NAMESIZE];
	uint32_t total = 0, dq_size;
	int ret = -ENOMEM;

	if (p->qsv == NULL || p->n_rings > MAX_RINGS) {
		rte_errno = EINVAL;
		return NULL;
	}
	t = rte_zmalloc_socket("dsa_bind", sizeof(*t), RTE_CACHE_LINE_SIZE, p->socket_id);
	if (t == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	t->qsv = p->qsv;
	t->n_rings = p->n_rings;
	for (unsigned int i = 0; i < p->n_rings; i++)
		t->rings[i] = p->rings[i];

	for (int k = 0; k < DSA_BIND_NKINDS; k++) {
		struct rte_hash_rcu_config rcu = { 0 };
		struct rte_hash_parameters hp = { 0 };

		if (cap[k] < 8)
			cap[k] = 8;
		t->capacity[k] = cap[k];
		total += cap[k];
		snprintf(name, sizeof(name), "%s_%s", p->name, kind_name[k]);
		hp.name = name;
		hp.entries = cap[k];
		hp.key_len = key_len[k];
		hp.hash_func = rte_hash_crc;
		hp.hash_func_init_val = 0;
		hp.socket_id = p->socket_id;
		hp.extra_flag =
		        RTE_HASH_EXTRA_FLAGS_RW_CONCURRENCY_LF | RTE_HASH_EXTRA_FLAGS_EXT_TABLE;
		t->h[k] = rte_hash_create(&hp);
		if (t->h[k] == NULL) {
			ret = -rte_errno;
			LOG(ERR, "cannot create table %s (%u entries): %s\n", name, cap[k],
			        rte_strerror(rte_errno));
			goto fail;
		}
		if (k == DSA_BIND_V4)
			rte_hash_set_cmp_func(t->h[k], cmp4);
		else if (k == DSA_BIND_V6P)
			rte_hash_set_cmp_func(t->h[k], cmp8);
		rcu.v = p->qsv;
		rcu.mode = RTE_HASH_QSBR_MODE_DQ;
		rcu.key_data_ptr = t;
		rcu.free_key_data_func = free_deleted_entry;
		ret = rte_hash_rcu_qsbr_add(t->h[k], &rcu);
		if (ret != 0) {
			ret = -rte_errno;
			LOG(ERR, "cannot attach RCU to %s: %s\n", name, rte_strerror(rte_errno));
			goto fail;
		}
	}

	/* Room for every live entry, plus the ones waiting out a grace period. */
	dq_size = RTE_MIN(RTE_MAX(total / 8, 65536u), 1u << 20);
	snprintf(name, sizeof(name), "%s_fwd", p->name);
	t->pool = rte_mempool_create(name, total + dq_size, sizeof(struct dsa_fwd), 0, 0, NULL,
	        NULL, NULL, NULL, p->socket_id, RTE_MEMPOOL_F_SP_PUT | RTE_MEMPOOL_F_SC_GET);
	if (t->pool == NULL) {
		ret = -rte_errno;
		LOG(ERR, "cannot create entry pool %s: %s\n", name, rte_strerror(rte_errno));
		goto fail;
	}

	snprintf(name, sizeof(name), "%s_dq", p->name);
	dqp.name = name;
	dqp.flags = RTE_RCU_QSBR_DQ_MT_UNSAFE;
	dqp.size = dq_size;
	dqp.esize = sizeof(void *);
	dqp.trigger_reclaim_limit = dq_size / 4;
	dqp.max_reclaim_size = 256;
	dqp.free_fn = free_replaced_entries;
	dqp.p = t;
	dqp.v = p->qsv;
	t->dq = rte_rcu_qsbr_dq_create(&dqp);
	if (t->dq == NULL) {
		ret = -rte_errno;
		LOG(ERR, "cannot create defer queue: %s\n", rte_strerror(rte_errno));
		goto fail;
	}
	return t;

fail:
	dsa_bind_free(t);
	rte_errno = -ret;
	return NULL;
}

void
dsa_bind_free(struct dsa_bind_table *t)
{
	if (t == NULL)
		return;
	if (t->dq != NULL)
		rte_rcu_qsbr_dq_delete(t->dq);
	for (int k = 0; k < DSA_BIND_NKINDS; k++)
		rte_hash_free(t->h[k]); /* frees its own defer queue */
	rte_mempool_free(t->pool);
	rte_free(t);
}

static void
post_notice(struct dsa_bind_table *t, const struct dsa_bind_key *key, uint8_t op)
{
	struct dsa_bind_notice n = {
		.tsc = rte_rdtsc(),
		.gen = t->gen,
		.op = op,
		.key = *key,
	};

	for (unsigned int i = 0; i < t->n_rings; i++)
		if (rte_ring_sp_enqueue_elem(t->rings[i], &n, sizeof(n)) != 0)
			t->notices_dropped++;
}

static bool
key_valid(const struct dsa_bind_key *key)
{
	return key->kind < DSA_BIND_NKINDS;
}

int
dsa_bind_set(struct dsa_bind_table *t, const struct dsa_bind_key *key, const struct dsa_fwd *fwd)
{
	struct rte_hash *h;
	struct dsa_fwd *nf;
	void *old = NULL;
	bool exists;
	int ret;

	if (!key_valid(key) || (fwd->outer_af != AF_INET && fwd->outer_af != AF_INET6))
		return -EINVAL;
	h = t->h[key->kind];
	exists = rte_hash_lookup_data(h, key->addr, &old) >= 0;
	if (!exists && t->count[key->kind] >= t->capacity[key->kind]) {
		t->set_fail++;
		return -ENOSPC;
	}
	if (rte_mempool_get(t->pool, (void **)&nf) != 0) {
		rte_rcu_qsbr_dq_reclaim(t->dq, UINT32_MAX, NULL, NULL, NULL);
		if (rte_mempool_get(t->pool, (void **)&nf) != 0) {
			t->set_fail++;
			return -ENOSPC;
		}
	}
	*nf = *fwd;
	nf->gen = ++t->gen;
	nf->csum = dsa_fwd_csum(nf);

	/* One atomic store publishes the whole entry (or the new key). */
	ret = rte_hash_add_key_data(h, key->addr, nf);
	if (ret < 0) {
		rte_mempool_put(t->pool, nf);
		t->gen--;
		t->set_fail++;
		return ret == -ENOSPC ? -ENOSPC : ret;
	}
	if (exists && old != NULL) {
		if (rte_rcu_qsbr_dq_enqueue(t->dq, &old) != 0) {
			/* Defer queue full: wait out one grace period (rare). */
			t->sync_fallbacks++;
			rte_rcu_qsbr_synchronize(t->qsv, RTE_QSBR_THRID_INVALID);
			rte_mempool_put(t->pool, old);
		}
	} else {
		t->count[key->kind]++;
	}
	t->sets++;
	post_notice(t, key, DSA_BIND_OP_SET);
	return 0;
}

int
dsa_bind_del(struct dsa_bind_table *t, const struct dsa_bind_key *key)
{
	int ret;

	if (!key_valid(key))
		return -EINVAL;
	/* The key slot and its entry are freed by rte_hash's defer queue. */
	ret = rte_hash_del_key(t->h[key->kind], key->addr);
	if (ret < 0)
		return -ENOENT;
	t->count[key->kind]--;
	t->gen++;
	t->dels++;
	post_notice(t, key, DSA_BIND_OP_DEL);
	return 0;
}

void
dsa_bind_reclaim(struct dsa_bind_table *t)
{
	rte_rcu_qsbr_dq_reclaim(t->dq, 256, NULL, NULL, NULL);
}

void
dsa_bind_stats_get(const struct dsa_bind_table *t, struct dsa_bind_stats *s)
{
	memset(s, 0, sizeof(*s));
	for (int k = 0; k < DSA_BIND_NKINDS; k++) {
		s->count[k] = t->count[k];
		s->capacity[k] = t->capacity[k];
	}
	s->sets = t->sets;
	s->dels = t->dels;
	s->set_fail = t->set_fail;
	s->notices_dropped = t->notices_dropped;
	s->gen = t->gen;
}

static inline const struct dsa_fwd *
live(const void *data)
{
	const struct dsa_fwd *f = data;

	return (f != NULL && !(f->flags & DSA_FWD_DEAD)) ? f : NULL;
}

const struct dsa_fwd *
dsa_bind_lookup4(const struct dsa_bind_table *t, rte_be32_t addr)
{
	void *data;

	if (rte_hash_lookup_data(t->h[DSA_BIND_V4], &addr, &data) < 0)
		return NULL;
	return live(data);
}

const struct dsa_fwd *
dsa_bind_lookup6(const struct dsa_bind_table *t, const uint8_t *addr)
{
	void *data;

	if (t->count[DSA_BIND_V6H] != 0 &&
	        rte_hash_lookup_data(t->h[DSA_BIND_V6H], addr, &data) >= 0 && live(data) != NULL)
		return data;
	if (rte_hash_lookup_data(t->h[DSA_BIND_V6P], addr, &data) < 0)
		return NULL;
	return live(data);
}

static void
bulk(const struct rte_hash *h, const void **keys, unsigned int n, const struct dsa_fwd **out)
{
	uint64_t hits = 0;
	void *data[RTE_HASH_LOOKUP_BULK_MAX];

	rte_hash_lookup_bulk_data(h, keys, n, &hits, data);
	/* Start every entry's cache miss before the first one is used. */
	for (unsigned int i = 0; i < n; i++)
		if ((hits >> i) & 1)
			rte_prefetch0(data[i]);
	for (unsigned int i = 0; i < n; i++)
		out[i] = (hits >> i) & 1 ? live(data[i]) : NULL;
}

void
dsa_bind_lookup4_bulk(const struct dsa_bind_table *t, const void **keys, unsigned int n,
        const struct dsa_fwd **out)
{
	if (n != 0)
		bulk(t->h[DSA_BIND_V4], keys, n, out);
}

void
dsa_bind_lookup6_bulk(const struct dsa_bind_table *t, const void **keys, unsigned int n,
        const struct dsa_fwd **out)
{
	const void *miss_keys[RTE_HASH_LOOKUP_BULK_MAX];
	const struct dsa_fwd *miss_out[RTE_HASH_LOOKUP_BULK_MAX];
	unsigned int miss_idx[RTE_HASH_LOOKUP_BULK_MAX];
	unsigned int nm = 0;

	if (n == 0)
		return;
	if (t->count[DSA_BIND_V6H] == 0) {
		/* The /64 key is the address's first 8 bytes: no copy needed. */
		bulk(t->h[DSA_BIND_V6P], keys, n, out);
		return;
	}
	bulk(t->h[DSA_BIND_V6H], keys, n, out);
	for (unsigned int i = 0; i < n; i++)
		if (out[i] == NULL) {
			miss_idx[nm] = i;
			miss_keys[nm++] = keys[i];
		}
	if (nm == 0)
		return;
	bulk(t->h[DSA_BIND_V6P], miss_keys, nm, miss_out);
	for (unsigned int j = 0; j < nm; j++)
		out[miss_idx[j]] = miss_out[j];
}
