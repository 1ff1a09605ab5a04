/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Acceptance test of the binding tables' concurrency (ARCHITECTURE §3):
 * the control side (main lcore) adds, replaces and deletes bindings as fast
 * as it can while a pipeline-like lcore looks them up. No lookup may return
 * a torn entry (per-entry checksum), an entry of another key, or an entry
 * that changes while the reader holds it (entries are immutable once
 * published, so a change means the writer freed and reused it too early:
 * a use-after-free).
 *
 * The writer also fills every free entry of bind.c's pool with 0xAB every
 * 2 ms, and the reader sometimes holds its entries for 500 us: an entry
 * freed before the grace period ended would change under the reader.
 *
 * Every entry encodes its key: id = kind << 24 | index, gre_key = id,
 * outer.v6.dst = the key's address bytes. Everything else varies with each
 * write, so a torn read shows as a checksum mismatch.
 *
 * usage: test_concurrency [SECONDS]   (default 5; EAL -l 0-1)
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_launch.h>
#include <rte_log.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mempool.h>
#include <rte_pause.h>
#include <rte_rcu_qsbr.h>
#include <rte_ring.h>

#include "dsa_bind.h"
#include "check.h"

#define NKEYS 4096u
#define CAP   (4 * NKEYS) /* room for deleted keys still waiting out a grace period */
#define BURST 32

static struct rte_rcu_qsbr *qsv;
static struct dsa_bind_table *tbl;
static struct rte_ring *ring;

static volatile int reader_ready;
static volatile int stop;

/* Reader results (written by the reader only, read after it stopped). */
static struct {
	uint64_t iterations, lookups, hits, torn, mismatch, mutated, dead;
	uint64_t notices, notice_gen_errors, notice_bad;
	uint64_t max_gap, gaps_over_1ms; /* TSC cycles between quiescent reports */
} rd;

/*
 * DPDK log lines are counted on their way to stderr: the defer queue's
 * "Enqueue failed" is the moment bind.c falls back to waiting out a grace
 * period (rte_rcu_qsbr_synchronize), i.e. the writer blocks on the reader.
 */
static uint64_t log_dq_full, log_hash_fifo;
static uint64_t log_lines;

static ssize_t
log_write(void *c, const char *buf, size_t size)
{
	(void)c;
	if (memmem(buf, size, "Enqueue failed", 14) != NULL)
		log_dq_full++;
	else if (memmem(buf, size, "Failed to push QSBR FIFO", 24) != NULL)
		log_hash_fifo++;
	else if (memmem(buf, size, "Skipped enqueuing", 17) == NULL && log_lines++ < 50)
		fwrite(buf, 1, size, stderr);
	return (ssize_t)size;
}

/* ---------------------------------------------------------------- */
/* Keys and their addresses                                          */

static uint64_t
xorshift(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

static void
v4addr(uint32_t i, uint8_t *a)
{
	a[0] = 10;
	a[1] = 77;
	a[2] = (uint8_t)(i >> 8);
	a[3] = (uint8_t)i;
}

/* v6p key i: 2001:db8:1:i::/64 */
static void
v6prefix(uint32_t i, uint8_t *a)
{
	memset(a, 0, 16);
	a[0] = 0x20;
	a[1] = 0x01;
	a[2] = 0x0d;
	a[3] = 0xb8;
	a[4] = 0;
	a[5] = 1;
	a[6] = (uint8_t)(i >> 8);
	a[7] = (uint8_t)i;
}

/* The /64 a v6h key lies in. */
static uint32_t
v6h_parent(uint32_t i)
{
	return (i * 7) % NKEYS;
}

/* v6h key i: 2001:db8:1:parent(i)::1:i */
static void
v6host(uint32_t i, uint8_t *a)
{
	v6prefix(v6h_parent(i), a);
	a[12] = 0;
	a[13] = 1;
	a[14] = (uint8_t)(i >> 8);
	a[15] = (uint8_t)i;
}

/* A host in /64 i that no v6h key uses. */
static void
v6other(uint32_t i, uint8_t *a)
{
	v6prefix(i, a);
	a[8] = 0xde;
	a[9] = 0xad;
	a[15] = 0x42;
}

static void
key_of(uint8_t kind, uint32_t i, struct dsa_bind_key *k, uint8_t *dst)
{
	uint8_t a[16];

	memset(dst, 0, 16);
	switch (kind) {
	case DSA_BIND_V4:
		v4addr(i, a);
		rte_be32_t v;
		memcpy(&v, a, 4);
		dsa_bind_key_v4(k, v);
		memcpy(dst, a, 4);
		break;
	case DSA_BIND_V6P:
		v6prefix(i, a);
		dsa_bind_key_v6p(k, a);
		memcpy(dst, a, 8);
		break;
	default:
		v6host(i, a);
		dsa_bind_key_v6h(k, a);
		memcpy(dst, a, 16);
		break;
	}
}

static uint32_t
id_of(uint8_t kind, uint32_t i)
{
	return (uint32_t)kind << 24 | i;
}

/* ---------------------------------------------------------------- */
/* Reader (pipeline lcore)                                           */

struct held {
	const struct dsa_fwd *e;
	struct dsa_fwd copy;
};

/*
 * Check an entry returned for a lookup: one of up to two acceptable
 * (id, dst) pairs. Records it for the immutability re-check.
 */
static void
verify(const struct dsa_fwd *e, uint32_t id1, const uint8_t *dst1, uint32_t id2,
        const uint8_t *dst2, struct held *h, unsigned int *nh)
{
	rd.lookups++;
	if (e == NULL)
		return;
	rd.hits++;
	h[*nh].e = e;
	h[*nh].copy = *e;
	e = &h[*nh].copy; /* check the copy: one read of the entry */
	(*nh)++;
	if (!dsa_fwd_csum_ok(e) || e->gen == 0) {
		rd.torn++;
		return;
	}
	if (e->flags & DSA_FWD_DEAD) {
		rd.dead++;
		return;
	}
	if (e->id == id1 && e->gre_key == rte_cpu_to_be_32(id1) &&
	        memcmp(e->outer.v6.dst, dst1, 16) == 0)
		return;
	if (dst2 != NULL && e->id == id2 && e->gre_key == rte_cpu_to_be_32(id2) &&
	        memcmp(e->outer.v6.dst, dst2, 16) == 0)
		return;
	rd.mismatch++;
}

static int
reader(void *arg)
{
	uint64_t seed = 0x9e3779b97f4a7c15ull ^ rte_rdtsc();
	static struct held held[4 * BURST + 2 * 16];
	uint8_t a4[BURST][4], a6[BURST][16], dst1[16], dst2[16], tmp[16];
	uint32_t kind6[BURST], idx6[BURST];
	const void *keys[BURST];
	const struct dsa_fwd *out[BURST];
	struct dsa_bind_notice notes[64];
	uint32_t last_gen = 0;
	struct dsa_bind_key k;
	uint64_t last_qs, ms = rte_get_tsc_hz() / 1000;

	(void)arg;
	rte_rcu_qsbr_thread_register(qsv, 0);
	rte_rcu_qsbr_thread_online(qsv, 0);
	reader_ready = 1;
	last_qs = rte_rdtsc();

	while (!stop) {
		unsigned int nh = 0;

		/* Bulk IPv4. */
		uint32_t idx4[BURST];
		for (unsigned int j = 0; j < BURST; j++) {
			idx4[j] = (uint32_t)(xorshift(&seed) % NKEYS);
			v4addr(idx4[j], a4[j]);
			keys[j] = a4[j];
		}
		dsa_bind_lookup4_bulk(tbl, keys, BURST, out);
		for (unsigned int j = 0; j < BURST; j++) {
			key_of(DSA_BIND_V4, idx4[j], &k, dst1);
			verify(out[j], id_of(DSA_BIND_V4, idx4[j]), dst1, 0, NULL, held, &nh);
		}

		/* Bulk IPv6: /128 addresses (the /128 or its /64 may answer) and
		 * other hosts of a /64 (only the /64 may answer). */
		for (unsigned int j = 0; j < BURST; j++) {
			uint64_t r = xorshift(&seed);

			idx6[j] = (uint32_t)(r % NKEYS);
			kind6[j] = (r >> 32) & 1 ? DSA_BIND_V6H : DSA_BIND_V6P;
			if (kind6[j] == DSA_BIND_V6H)
				v6host(idx6[j], a6[j]);
			else
				v6other(idx6[j], a6[j]);
			keys[j] = a6[j];
		}
		dsa_bind_lookup6_bulk(tbl, keys, BURST, out);
		for (unsigned int j = 0; j < BURST; j++) {
			if (kind6[j] == DSA_BIND_V6H) {
				key_of(DSA_BIND_V6H, idx6[j], &k, dst1);
				key_of(DSA_BIND_V6P, v6h_parent(idx6[j]), &k, dst2);
				verify(out[j], id_of(DSA_BIND_V6H, idx6[j]), dst1,
				        id_of(DSA_BIND_V6P, v6h_parent(idx6[j])), dst2, held, &nh);
			} else {
				key_of(DSA_BIND_V6P, idx6[j], &k, dst1);
				verify(out[j], id_of(DSA_BIND_V6P, idx6[j]), dst1, 0, NULL, held,
				        &nh);
			}
		}

		/* Single lookups. */
		for (unsigned int j = 0; j < 16; j++) {
			uint32_t i = (uint32_t)(xorshift(&seed) % NKEYS);
			rte_be32_t v;

			v4addr(i, tmp);
			memcpy(&v, tmp, 4);
			key_of(DSA_BIND_V4, i, &k, dst1);
			verify(dsa_bind_lookup4(tbl, v), id_of(DSA_BIND_V4, i), dst1, 0, NULL, held,
			        &nh);
			i = (uint32_t)(xorshift(&seed) % NKEYS);
			v6host(i, tmp);
			key_of(DSA_BIND_V6H, i, &k, dst1);
			key_of(DSA_BIND_V6P, v6h_parent(i), &k, dst2);
			verify(dsa_bind_lookup6(tbl, tmp), id_of(DSA_BIND_V6H, i), dst1,
			        id_of(DSA_BIND_V6P, v6h_parent(i)), dst2, held, &nh);
		}

		/* Hold the entries a little longer, as a pipeline does while it
		 * builds its burst (every 16th burst for 500 us), checking that
		 * none of them changes: the writer scribbles over every free entry
		 * of the pool every 2 ms, so an entry freed before this reader's
		 * next quiescent report shows here. */
		uint64_t t0 = rte_rdtsc(), hold = (rd.iterations & 15) == 0 ? ms / 2 : 0;
		do {
			for (unsigned int j = 0; j < nh; j++)
				if (held[j].e != NULL && memcmp(held[j].e, &held[j].copy,
				                                 sizeof(held[j].copy)) != 0) {
					rd.mutated++;
					held[j].e = NULL;
				}
		} while (rte_rdtsc() - t0 < hold);

		/* Update notices: generations increase strictly. */
		unsigned int n;
		for (int rounds = 0;
		        rounds < 16 && (n = rte_ring_sc_dequeue_burst_elem(ring, notes,
		                                sizeof(notes[0]), RTE_DIM(notes), NULL)) != 0;
		        rounds++)
			for (unsigned int j = 0; j < n; j++) {
				rd.notices++;
				if (notes[j].gen <= last_gen)
					rd.notice_gen_errors++;
				last_gen = notes[j].gen;
				if ((notes[j].op != DSA_BIND_OP_SET &&
				            notes[j].op != DSA_BIND_OP_DEL) ||
				        notes[j].key.kind >= DSA_BIND_NKINDS)
					rd.notice_bad++;
			}

		rd.iterations++;
		rte_rcu_qsbr_quiescent(qsv, 0);
		uint64_t tq = rte_rdtsc();
		if (tq - last_qs > rd.max_gap)
			rd.max_gap = tq - last_qs;
		if (tq - last_qs > ms)
			rd.gaps_over_1ms++;
		last_qs = tq;
	}
	rte_rcu_qsbr_thread_offline(qsv, 0);
	rte_rcu_qsbr_thread_unregister(qsv, 0);
	return 0;
}

/* ---------------------------------------------------------------- */
/* Writer (control lcore)                                            */

static uint8_t present[DSA_BIND_NKINDS][NKEYS];

/*
 * Take every free entry out of bind.c's entry pool, fill it with 0xAB and
 * put it back. Only this thread (control) gets and puts on that pool, so
 * this is safe; an entry a reader still uses must never be in there.
 */
static void **scribble_objs;
static uint64_t scribble_passes, scribbled;

static void
scribble(struct rte_mempool *mp)
{
	unsigned int n = 0;

	while (n + 256 <= mp->size && rte_mempool_get_bulk(mp, scribble_objs + n, 256) == 0)
		n += 256;
	while (n < mp->size && rte_mempool_get(mp, &scribble_objs[n]) == 0)
		n++;
	for (unsigned int i = 0; i < n; i++)
		memset(scribble_objs[i], 0xab, sizeof(struct dsa_fwd));
	if (n != 0)
		rte_mempool_put_bulk(mp, scribble_objs, n);
	scribble_passes++;
	scribbled += n;
}

static struct dsa_fwd
mkfwd(uint8_t kind, uint32_t i, uint64_t seq)
{
	struct dsa_fwd f;
	struct dsa_bind_key k;

	memset(&f, 0, sizeof(f));
	f.outer_af = seq & 1 ? AF_INET : AF_INET6;
	f.flags = seq & 2 ? DSA_FWD_GRE : 0;
	f.nh = (uint16_t)seq;
	f.mtu = (uint16_t)(1280 + seq % 220);
	f.pad = (uint16_t)(seq >> 16);
	f.id = id_of(kind, i);
	f.gre_key = rte_cpu_to_be_32(f.id);
	memcpy(f.outer.v6.src, &seq, sizeof(seq));
	memcpy(f.outer.v6.src + 8, &seq, sizeof(seq));
	key_of(kind, i, &k, f.outer.v6.dst); /* overwrites nothing but dst */
	if (f.outer_af == AF_INET)           /* v4 view: src/dst overlap v6.src only */
		f.outer.v4.dst ^= 0x5a5a5a5a;
	return f;
}

int
main(int argc, char **argv)
{
	char prefix[64];
	char *eal[] = { argv[0], "--no-huge", "-m", "1024", "--no-pci", "--file-prefix", prefix,
		"-l", "0-1", "--log-level", "warning" };
	double seconds = 5;
	uint64_t seed = 12345, ops = 0, sets = 0, replaces = 0, dels = 0, enoent = 0, enospc = 0,
	         other_err = 0, slow = 0, max_cyc = 0, hz;
	unsigned int worker;
	struct dsa_bind_stats s;

	snprintf(prefix, sizeof(prefix), "dsa-unit-conc-%d", (int)getpid());
	cookie_io_functions_t io = { .write = log_write };
	FILE *logf = fopencookie(NULL, "w", io);
	if (logf != NULL) {
		setvbuf(logf, NULL, _IOLBF, 0);
		rte_openlog_stream(logf);
	}
	if (rte_eal_init(RTE_DIM(eal), eal) < 0) {
		fprintf(stderr, "rte_eal_init: %s\n", rte_strerror(rte_errno));
		return 2;
	}
	if (argc > 1)
		seconds = atof(argv[1]);
	if (seconds <= 0)
		seconds = 5;
	worker = rte_get_next_lcore(-1, 1, 0);
	if (worker >= RTE_MAX_LCORE) {
		fprintf(stderr, "needs 2 lcores (-l 0-1)\n");
		return 2;
	}
	hz = rte_get_timer_hz();

	qsv = rte_zmalloc("qsv", rte_rcu_qsbr_get_memsize(1), RTE_CACHE_LINE_SIZE);
	ring = rte_ring_create_elem("conc_upd", sizeof(struct dsa_bind_notice), 1 << 16,
	        SOCKET_ID_ANY, RING_F_SP_ENQ | RING_F_SC_DEQ);
	if (qsv == NULL || ring == NULL || rte_rcu_qsbr_init(qsv, 1) != 0) {
		fprintf(stderr, "setup failed\n");
		return 2;
	}
	struct dsa_bind_params p = {
		.name = "conc",
		.socket_id = SOCKET_ID_ANY,
		.n_v4 = CAP,
		.n_v6p = CAP,
		.n_v6h = CAP,
		.qsv = qsv,
		.n_rings = 1,
		.rings = &ring,
	};
	tbl = dsa_bind_create(&p);
	if (tbl == NULL) {
		fprintf(stderr, "dsa_bind_create: %s\n", rte_strerror(rte_errno));
		return 2;
	}
	struct rte_mempool *mp = rte_mempool_lookup("conc_fwd");
	CHECK(mp != NULL);
	if (mp != NULL)
		scribble_objs = malloc(mp->size * sizeof(void *));
	if (scribble_objs == NULL)
		mp = NULL;

	/* Start half full. */
	for (uint8_t kind = 0; kind < DSA_BIND_NKINDS; kind++)
		for (uint32_t i = 0; i < NKEYS; i += 2) {
			struct dsa_bind_key k;
			uint8_t dst[16];
			struct dsa_fwd f = mkfwd(kind, i, ops++);

			key_of(kind, i, &k, dst);
			CHECK_EQ(dsa_bind_set(tbl, &k, &f), 0);
			present[kind][i] = 1;
		}

	rte_eal_remote_launch(reader, NULL, worker);
	while (!reader_ready)
		rte_pause();

	uint64_t start = rte_get_timer_cycles(), end = start + (uint64_t)(seconds * hz);
	uint64_t t = start, last_scribble = start;
	while (t < end) {
		for (int b = 0; b < 64; b++) {
			uint64_t r = xorshift(&seed);
			uint8_t kind = (uint8_t)(r % DSA_BIND_NKINDS);
			uint32_t i = (uint32_t)((r >> 8) % NKEYS);
			unsigned int op = (unsigned int)((r >> 32) % 100);
			struct dsa_bind_key k;
			uint8_t dst[16];
			uint64_t c0, c;
			int ret;

			key_of(kind, i, &k, dst);
			c0 = rte_rdtsc();
			if (op < 60) {
				/* add or replace; sometimes several times in a row */
				int reps = op < 10 ? 4 : 1;

				for (int j = 0; j < reps; j++) {
					struct dsa_fwd f = mkfwd(kind, i, ops);

					ret = dsa_bind_set(tbl, &k, &f);
					if (ret == 0) {
						sets++;
						replaces += present[kind][i];
						present[kind][i] = 1;
					} else if (ret == -ENOSPC) {
						enospc++;
					} else {
						other_err++;
					}
					ops++;
				}
			} else {
				ret = dsa_bind_del(tbl, &k);
				if (ret == 0) {
					dels++;
					if (!present[kind][i])
						other_err++;
					present[kind][i] = 0;
				} else if (ret == -ENOENT) {
					enoent++;
					if (present[kind][i])
						other_err++;
				} else {
					other_err++;
				}
				ops++;
			}
			c = rte_rdtsc() - c0;
			if (c > max_cyc)
				max_cyc = c;
			if (c > rte_get_tsc_hz() / 1000)
				slow++;
		}
		dsa_bind_reclaim(tbl);
		t = rte_get_timer_cycles();
		if (mp != NULL && t - last_scribble > hz / 500) {
			scribble(mp);
			last_scribble = t;
		}
	}
	stop = 1;
	rte_eal_mp_wait_lcore();
	double elapsed = (double)(t - start) / (double)hz;

	/* The table agrees with what the writer did. */
	dsa_bind_stats_get(tbl, &s);
	for (int kind = 0; kind < DSA_BIND_NKINDS; kind++) {
		uint32_t n = 0;

		for (uint32_t i = 0; i < NKEYS; i++)
			n += present[kind][i];
		CHECK_EQ(s.count[kind], n);
	}
	/* With the reader gone, every lookup must match the writer's view exactly. */
	uint64_t wrong = 0;
	for (uint8_t kind = 0; kind < DSA_BIND_NKINDS; kind++)
		for (uint32_t i = 0; i < NKEYS; i++) {
			struct dsa_bind_key k;
			uint8_t dst[16];
			const struct dsa_fwd *e;

			key_of(kind, i, &k, dst);
			if (kind == DSA_BIND_V4) {
				rte_be32_t v;

				memcpy(&v, dst, 4);
				e = dsa_bind_lookup4(tbl, v);
			} else if (kind == DSA_BIND_V6P) {
				uint8_t a[16];

				v6other(i, a);
				e = dsa_bind_lookup6(tbl, a);
			} else {
				e = dsa_bind_lookup6(tbl, dst);
			}
			if (kind == DSA_BIND_V6H && !present[kind][i] &&
			        present[DSA_BIND_V6P][v6h_parent(i)])
				wrong += e == NULL || e->id != id_of(DSA_BIND_V6P, v6h_parent(i));
			else if (present[kind][i])
				wrong +=
				        e == NULL || e->id != id_of(kind, i) || !dsa_fwd_csum_ok(e);
			else
				wrong += e != NULL;
		}
	CHECK_EQ(wrong, 0);

	/* Drain the notices the reader left, then empty the tables. */
	rte_ring_reset(ring);
	for (uint8_t kind = 0; kind < DSA_BIND_NKINDS; kind++)
		for (uint32_t i = 0; i < NKEYS; i++) {
			struct dsa_bind_key k;
			uint8_t dst[16];

			key_of(kind, i, &k, dst);
			if (present[kind][i]) {
				CHECK_EQ(dsa_bind_del(tbl, &k), 0);
				present[kind][i] = 0;
			}
			rte_ring_reset(ring);
		}
	dsa_bind_stats_get(tbl, &s);
	for (int kind = 0; kind < DSA_BIND_NKINDS; kind++)
		CHECK_EQ(s.count[kind], 0);
	/* No reader is online: every grace period is over. */
	for (int i = 0; i < 1024; i++)
		dsa_bind_reclaim(tbl);
	if (mp != NULL) {
		unsigned int avail = rte_mempool_avail_count(mp);

		/* Deleted entries wait in rte_hash's defer queues until a later
		 * delete reclaims them (16 at a time): allow a few per table. */
		printf("entry pool: %u of %u free after emptying the tables\n", avail, mp->size);
		scribble(mp); /* what is free can be taken and given back */
		CHECK_EQ(rte_mempool_avail_count(mp), avail);
		CHECK(avail + 3 * 64 >= mp->size);
	}

	printf("writer: %.2f s, %" PRIu64 " ops (%.2f M/s): %" PRIu64 " sets (%" PRIu64
	       " replaces), %" PRIu64 " dels, %" PRIu64 " -ENOENT, %" PRIu64 " -ENOSPC\n",
	        elapsed, ops, ops / elapsed / 1e6, sets, replaces, dels, enoent, enospc);
	printf("writer: slowest op %.1f us, %" PRIu64 " ops over 1 ms\n",
	        (double)max_cyc * 1e6 / (double)rte_get_tsc_hz(), slow);
	printf("reader: %" PRIu64 " iterations, %" PRIu64 " lookups, %" PRIu64 " hits, %" PRIu64
	       " torn, %" PRIu64 " mismatched, %" PRIu64 " changed while held, %" PRIu64 " dead\n",
	        rd.iterations, rd.lookups, rd.hits, rd.torn, rd.mismatch, rd.mutated, rd.dead);
	printf("writer: %" PRIu64 " defer-queue-full fallbacks (rte_rcu_qsbr_synchronize), "
	       "%" PRIu64 " rte_hash defer queue pushes failed\n",
	        log_dq_full, log_hash_fifo);
	printf("writer: %" PRIu64 " scribble passes over the free entries (%.0f entries each)\n",
	        scribble_passes, scribble_passes ? (double)scribbled / scribble_passes : 0.0);
	printf("reader: longest gap between quiescent reports %.1f us, %" PRIu64
	       " gaps over 1 ms\n",
	        (double)rd.max_gap * 1e6 / (double)rte_get_tsc_hz(), rd.gaps_over_1ms);
	printf("reader: %" PRIu64 " notices, %" PRIu64 " out of order, %" PRIu64 " malformed; "
	       "%" PRIu64 " dropped (ring full)\n",
	        rd.notices, rd.notice_gen_errors, rd.notice_bad, s.notices_dropped);

	CHECK(ops > 10000);
	CHECK(rd.iterations > 100);
	CHECK(rd.hits > 1000);
	CHECK(rd.hits < rd.lookups);
	CHECK_EQ(rd.torn, 0);
	CHECK_EQ(rd.mismatch, 0);
	CHECK_EQ(rd.mutated, 0);
	CHECK_EQ(rd.dead, 0);
	CHECK_EQ(rd.notice_gen_errors, 0);
	CHECK_EQ(rd.notice_bad, 0);
	CHECK(rd.notices > 0);
	CHECK(scribble_passes > 0);
	CHECK_EQ(other_err, 0);
	/* rte_hash could not queue a deleted key: its slot and entry leak. */
	CHECK_EQ(log_hash_fifo, 0);
	/* The writer may wait out a grace period only when the defer queue
	 * filled because the reader stalled (descheduled on a busy machine):
	 * with a reader that never went 1 ms without a quiescent report, it
	 * must never have blocked. */
	if (rd.gaps_over_1ms == 0)
		CHECK_EQ(log_dq_full, 0);

	dsa_bind_free(tbl);
	free(scribble_objs);
	rte_ring_free(ring);
	rte_free(qsv);
	rte_eal_cleanup();
	return check_summary();
}
