/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdio.h>
#include <time.h>

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_hash.h>
#include <rte_hash_crc.h>
#include <rte_log.h>
#include <rte_malloc.h>

#include "dsa_ctrl.h"
#include "dsa_lma.h"
#include "dsa_mh.h"

RTE_LOG_REGISTER_SUFFIX(lma_logtype, lma, NOTICE);
#define LOG(level, ...) rte_log(RTE_LOG_##level, lma_logtype, "lma: " __VA_ARGS__)

const char *const dsa_lma_counter_names[DSA_LMA_MAX] = {
#define X(e, n, h) [DSA_LMA_##e] = #n,
	DSA_LMA_COUNTERS(X)
#undef X
};

#define NTP_UNIX_OFFSET 2208988800ull /* seconds from 1900 to 1970 */

/* The control-side binding cache entry of one MN. */
struct bce {
	bool used;
	bool hnp_bound, hoa4_bound; /* which home addresses are in the data plane */
	bool leaving;     /* de-registered: deleted at expires (MinDelayBeforeBCEDelete) */
	uint64_t expires; /* TSC: lifetime end, or the end of the delete delay */
	/* A revocation (BRI) owed to the MAG the MN left (RFC 5846 §6.1). */
	bool bri_pending;
	uint8_t bri_trigger;
	uint8_t bri_tries;
	int bri_peer;
	uint16_t bri_seq;
	uint64_t bri_next; /* TSC of the next (re)transmission */
	int profile;       /* index into cfg->profiles */
	int peer;          /* MAG that registered it */
	struct dsa_addr coa;
	uint64_t ts; /* last accepted timestamp (NTP format) */
	uint16_t seq;
	uint8_t hi, att;
};

struct dsa_lma {
	struct dsa_ctrl *c;
	const struct dsa_config *cfg;
	struct rte_hash *by_mnid; /* MN-ID (zero-padded) -> profile index */
	struct bce *bce;          /* one per profile */
	uint32_t restart_counter; /* RFC 5847: changes at every start */
	uint16_t bri_seq;         /* sequence number of the last BRI sent */
	uint64_t stats[DSA_LMA_MAX];
};

struct mnid_key {
	uint8_t id[DSA_MNID_LEN];
};

void
dsa_lma_stats(const struct dsa_lma *l, uint64_t *out)
{
	memcpy(out, l->stats, sizeof(l->stats));
}

struct dsa_lma *
dsa_lma_create(struct dsa_ctrl *c, const struct dsa_config *cfg)
{
	struct rte_hash_parameters hp = {
		.name = "lma_mnid",
		.entries = RTE_MAX(cfg->n_profiles * 2, 64u),
		.key_len = sizeof(struct mnid_key),
		.hash_func = rte_hash_crc,
		.socket_id = SOCKET_ID_ANY,
	};
	struct dsa_lma *l = rte_zmalloc("lma", sizeof(*l), 0);

	if (l == NULL)
		goto nomem;
	l->c = c;
	l->cfg = cfg;
	/* The start time: larger at every restart without any state on disk.
	 * (The persistence issue replaces it with a stored, incremented one.) */
	l->restart_counter = (uint32_t)time(NULL);
	l->bce = rte_zmalloc("lma_bce", sizeof(struct bce) * RTE_MAX(cfg->n_profiles, 1u), 0);
	l->by_mnid = rte_hash_create(&hp);
	if (l->bce == NULL || l->by_mnid == NULL)
		goto nomem;
	for (unsigned int i = 0; i < cfg->n_profiles; i++) {
		struct mnid_key k = { 0 };

		memcpy(k.id, cfg->profiles[i].mn_id, strnlen(cfg->profiles[i].mn_id, DSA_MNID_LEN));
		if (rte_hash_add_key_data(l->by_mnid, &k, (void *)(uintptr_t)i) < 0)
			goto nomem;
	}
	return l;
nomem:
	dsa_lma_free(l);
	rte_errno = ENOMEM;
	return NULL;
}

void
dsa_lma_free(struct dsa_lma *l)
{
	if (l == NULL)
		return;
	rte_hash_free(l->by_mnid);
	rte_free(l->bce);
	rte_free(l);
}

static int
peer_of(const struct dsa_config *cfg, const struct dsa_addr *src)
{
	for (unsigned int i = 0; i < cfg->n_peers; i++)
		if (dsa_addr_eq(&cfg->peers[i].addr, src))
			return i;
	return -1;
}

static uint64_t
ntp_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ((uint64_t)ts.tv_sec + NTP_UNIX_OFFSET) << 32 |
	       (((uint64_t)ts.tv_nsec << 32) / 1000000000ull);
}

/* NTP-format difference in milliseconds (absolute). */
static uint64_t
ntp_diff_ms(uint64_t a, uint64_t b)
{
	uint64_t d = a > b ? a - b : b - a;

	return (d >> 32) * 1000 + (((d & 0xffffffff) * 1000) >> 32);
}

static bool
profile_allows_mag(const struct dsa_profile_cfg *p, int peer)
{
	if (p->n_mags == 0)
		return true;
	for (unsigned int i = 0; i < p->n_mags; i++)
		if (p->mags[i] == peer)
			return true;
	return false;
}

/*
 * RFC 5213 §5.3.1: decide on one PBU. Fills the PBA's options as it goes.
 * Returns the PBA status.
 */
static uint8_t
decide(struct dsa_lma *l, const struct dsa_mh_msg *pbu, const struct dsa_addr *src,
        struct dsa_mh_msg *pba, int *profile_out)
{
	const struct dsa_config *cfg = l->cfg;
	const struct dsa_mh_opts *o = &pbu->opt;
	const struct dsa_profile_cfg *p;
	struct mnid_key k = { 0 };
	char err[DSA_ERR_LEN];
	struct dsa_binding_cfg b;
	struct bce *e;
	void *data;
	int peer, pi, ret;
	bool moved;

	peer = peer_of(cfg, src);
	if (peer < 0)
		return DSA_PBA_MAG_NOT_AUTHORIZED;
	if (!(pbu->bu.flags & DSA_MH_BU_P))
		return DSA_PBA_PROXY_REG_NOT_ENABLED;
	if (!(o->present & DSA_MH_HAS_MNID))
		return DSA_PBA_MISSING_MNID;
	if (o->mnid.len > sizeof(k.id))
		return DSA_PBA_PROXY_REG_NOT_ENABLED;
	memcpy(k.id, o->mnid.id, o->mnid.len);
	if (rte_hash_lookup_data(l->by_mnid, &k, &data) < 0)
		return DSA_PBA_PROXY_REG_NOT_ENABLED;
	pi = (int)(uintptr_t)data;
	*profile_out = pi;
	p = &cfg->profiles[pi];
	e = &l->bce[pi];
	if (!profile_allows_mag(p, peer))
		return DSA_PBA_MAG_NOT_AUTHORIZED;
	if (!(o->present & DSA_MH_HAS_HI))
		return DSA_PBA_MISSING_HI;
	if (!(o->present & DSA_MH_HAS_ATT))
		return DSA_PBA_MISSING_ATT;
	if (p->att_mask != 0 && (o->att >= 32 || !(p->att_mask & (1u << o->att))))
		return DSA_PBA_ADMIN_PROHIBITED;
	if (o->n_hnp == 0 && !(o->present & DSA_MH_HAS_V4HOA_REQ))
		return DSA_PBA_MISSING_HNP;

	/* Ordering (RFC 5213 §5.5): timestamps by default, sequence numbers
	 * as an option. */
	if (!cfg->lma.seqno_ordering) {
		if (!(o->present & DSA_MH_HAS_TS) ||
		        ntp_diff_ms(o->timestamp, ntp_now()) > cfg->lma.timestamp_window_ms)
			return DSA_PBA_TIMESTAMP_MISMATCH;
		if (e->used && o->timestamp <= e->ts)
			return DSA_PBA_TIMESTAMP_LOWER;
	} else if (e->used && (int16_t)(pbu->bu.seq - e->seq) <= 0) {
		return DSA_PBA_SEQ_OUT_OF_WINDOW;
	}

	/* The home network prefix: ::/0 asks for one; anything else must be
	 * the MN's own. */
	memset(&b, 0, sizeof(b));
	snprintf(b.mn_id, sizeof(b.mn_id), "%s", p->mn_id);
	if (o->n_hnp != 0) {
		if (!p->has_hnp)
			return DSA_PBA_NOT_AUTHORIZED_FOR_HNP;
		for (unsigned int i = 0; i < o->n_hnp; i++) {
			struct dsa_prefix asked = { .len = o->hnp[i].plen };

			dsa_addr_v6(&asked.addr, o->hnp[i].prefix);
			if (asked.len != 0 &&
			        (asked.len != 64 || memcmp(asked.addr.v6, p->hnp.addr.v6, 8) != 0))
				return DSA_PBA_NOT_AUTHORIZED_FOR_HNP;
		}
		b.has_hnp = true;
		b.hnp = p->hnp;
		pba->opt.n_hnp = 1;
		pba->opt.hnp[0].plen = 64;
		memcpy(pba->opt.hnp[0].prefix, p->hnp.addr.v6, 16);
	}
	/* IPv4 home address (RFC 5844 §3.1.2): 0.0.0.0 asks for one. */
	if (o->present & DSA_MH_HAS_V4HOA_REQ) {
		pba->opt.present |= DSA_MH_HAS_V4HOA_REP;
		if (!p->has_hoa4) {
			pba->opt.v4hoa_rep.status = DSA_V4HOA_NOT_AUTHORIZED;
		} else if (o->v4hoa_req.addr != 0 && o->v4hoa_req.addr != p->hoa4) {
			pba->opt.v4hoa_rep.status = DSA_V4HOA_INCORRECT;
		} else {
			b.has_hoa4 = true;
			b.hoa4 = p->hoa4;
			pba->opt.v4hoa_rep.status = DSA_V4HOA_SUCCESS;
			pba->opt.v4hoa_rep.plen = p->hoa4_plen;
			pba->opt.v4hoa_rep.addr = p->hoa4;
			if (cfg->lma.ipv4_default_router_set) {
				pba->opt.present |= DSA_MH_HAS_V4DR;
				pba->opt.v4dr = cfg->lma.ipv4_default_router;
			}
		}
		if (!b.has_hoa4 && !b.has_hnp)
			return DSA_PBA_NOT_AUTHORIZED_FOR_HNP;
	}

	if (pbu->bu.lifetime == 0) {
		/* De-registration: only from the MAG that holds the binding. The
		 * entry goes after MinDelayBeforeBCEDelete (RFC 5213 §5.3.5), so
		 * packets in flight still reach the MN; a PBU from a new MAG in
		 * the meantime simply moves it. */
		if (e->used && !e->leaving && e->peer == peer) {
			e->leaving = true;
			e->expires = rte_rdtsc() +
			             rte_get_tsc_hz() / 1000 * cfg->lma.min_delay_before_delete_ms;
			l->stats[DSA_LMA_DEREGISTERED]++;
			if (cfg->lma.min_delay_before_delete_ms == 0)
				dsa_lma_tick(l);
		}
		return DSA_PBA_ACCEPTED;
	}

	/* GRE (RFC 5845): the MAG's key marks downlink packets; ours, one per
	 * MN, marks uplink ones and goes back in the PBA. */
	if (o->present & DSA_MH_HAS_GRE) {
		b.has_gre_key = true;
		b.gre_key = o->gre.has_key ? o->gre.key : 0;
		b.has_gre_key_in = true;
		b.gre_key_in = DSA_LMA_GRE_KEY_BASE + pi;
		pba->opt.present |= DSA_MH_HAS_GRE;
		pba->opt.gre.has_key = true;
		pba->opt.gre.key = b.gre_key_in;
	}

	/* A re-registration or handover keeps every home address already bound. */
	if (e->used) {
		if (e->hnp_bound && !b.has_hnp) {
			b.has_hnp = true;
			b.hnp = p->hnp;
		}
		if (e->hoa4_bound && !b.has_hoa4) {
			b.has_hoa4 = true;
			b.hoa4 = p->hoa4;
		}
	}
	b.coa = *src;
	if (o->present & DSA_MH_HAS_ACOA)
		dsa_addr_v6(&b.coa, o->acoa);
	moved = e->used && !dsa_addr_eq(&e->coa, &b.coa);
	if (moved && e->peer != peer && !e->leaving) {
		/* Revoke the binding at the MAG the MN left (RFC 5846 §6.1):
		 * trigger 3 or 4, same or different access technology. */
		e->bri_pending = true;
		e->bri_peer = e->peer;
		e->bri_trigger = o->att == e->att ? 3 : 4;
		e->bri_tries = 0;
		e->bri_seq = ++l->bri_seq;
		e->bri_next = rte_rdtsc();
	}
	ret = dsa_ctrl_binding_set(l->c, &b, pi, err, sizeof(err));
	if (ret == -ENOSPC)
		return DSA_PBA_INSUFFICIENT_RESOURCES;
	if (ret < 0) {
		LOG(WARNING, "%s: %s\n", p->mn_id, err);
		return DSA_PBA_UNSPECIFIED;
	}
	e->used = true;
	e->leaving = false;
	e->hnp_bound = b.has_hnp;
	e->hoa4_bound = b.has_hoa4;
	e->expires = rte_rdtsc() + rte_get_tsc_hz() * RTE_MIN((uint64_t)pbu->bu.lifetime * 4,
	                                                      (uint64_t)cfg->lma.max_lifetime_s);
	e->peer = peer;
	e->coa = b.coa;
	e->ts = o->timestamp;
	e->seq = pbu->bu.seq;
	e->hi = o->hi;
	e->att = o->att;
	l->stats[moved ? DSA_LMA_MOVED : DSA_LMA_REGISTERED]++;
	return DSA_PBA_ACCEPTED;
}

/* Take entry i's bindings out of the data plane (all, or its IPv4 HoA only). */
static void
unbind(struct dsa_lma *l, unsigned int i, bool v4_only)
{
	const struct dsa_profile_cfg *p = &l->cfg->profiles[i];
	struct dsa_binding_cfg b = { 0 };
	struct bce *e = &l->bce[i];

	b.has_hoa4 = e->hoa4_bound;
	b.hoa4 = p->hoa4;
	if (!v4_only) {
		b.has_hnp = e->hnp_bound;
		b.hnp = p->hnp;
	}
	dsa_ctrl_binding_del(l->c, &b);
	e->hoa4_bound = false;
	if (!v4_only)
		e->hnp_bound = false;
	if (!e->hoa4_bound && !e->hnp_bound) {
		e->used = false;
		e->leaving = false;
	}
}

/* A MAG's BRI: revoke what it names. Returns the number of MNs revoked. */
static unsigned int
revoke(struct dsa_lma *l, const struct dsa_mh_msg *bri, int peer)
{
	bool v4_only = bri->br.flags & DSA_MH_BR_V;
	struct mnid_key k = { 0 };
	unsigned int n = 0;
	void *data;

	if (bri->br.flags & DSA_MH_BR_G) {
		for (unsigned int i = 0; i < l->cfg->n_profiles; i++)
			if (l->bce[i].used && l->bce[i].peer == peer) {
				unbind(l, i, v4_only);
				n++;
			}
	} else if ((bri->opt.present & DSA_MH_HAS_MNID) && bri->opt.mnid.len <= sizeof(k.id)) {
		memcpy(k.id, bri->opt.mnid.id, bri->opt.mnid.len);
		if (rte_hash_lookup_data(l->by_mnid, &k, &data) >= 0) {
			unsigned int i = (uintptr_t)data;

			if (l->bce[i].used && l->bce[i].peer == peer) {
				unbind(l, i, v4_only);
				n++;
			}
		}
	}
	l->stats[DSA_LMA_REVOKED] += n;
	return n;
}

/* Send (or resend) the BRI that entry i owes its previous MAG. */
static struct rte_mbuf *build_mh(struct dsa_lma *l, const struct rte_ether_addr *dmac,
        const uint8_t *src, const uint8_t *dst, const struct dsa_mh_msg *msg,
        const struct dsa_port_info *port);

static void
send_bri(struct dsa_lma *l, unsigned int i)
{
	const struct dsa_profile_cfg *p = &l->cfg->profiles[i];
	const struct dsa_peer_cfg *peer = &l->cfg->peers[l->bce[i].bri_peer];
	const struct dsa_nh *nh;
	const struct dsa_port_info *port;
	struct bce *e = &l->bce[i];
	struct dsa_mh_msg bri = { 0 };
	struct rte_ether_addr dmac;
	struct rte_mbuf *m;
	uint64_t l2;
	uint16_t nh_idx;

	nh_idx = dsa_route_lookup(l->c->rt, &peer->addr);
	nh = &dsa_route_nh_table(l->c->rt)[nh_idx];
	l2 = dsa_nh_l2_load(nh);
	if (peer->addr.af != AF_INET6 || nh->type != DSA_NH_FWD || !(l2 & DSA_NH_MAC_VALID)) {
		/* IPv4 transport, or no resolved next hop yet: a later try. */
		l->stats[DSA_LMA_BRI_UNSENT]++;
		return;
	}
	port = &l->c->dp->ports[nh->port];
	bri.type = DSA_MH_TYPE_BR;
	bri.br.br_type = DSA_MH_BR_BRI;
	bri.br.trigger_status = e->bri_trigger;
	bri.br.seq = e->bri_seq;
	bri.br.flags = DSA_MH_BR_P;
	bri.opt.present = DSA_MH_HAS_MNID;
	bri.opt.mnid.subtype = DSA_MH_MNID_NAI;
	bri.opt.mnid.len = strnlen(p->mn_id, DSA_MNID_LEN);
	memcpy(bri.opt.mnid.id, p->mn_id, bri.opt.mnid.len);
	if (e->hnp_bound) {
		bri.opt.n_hnp = 1;
		bri.opt.hnp[0].plen = 64;
		memcpy(bri.opt.hnp[0].prefix, p->hnp.addr.v6, 16);
	}
	memcpy(&dmac, &l2, RTE_ETHER_ADDR_LEN);
	m = build_mh(
	        l, &dmac, l->c->has_anchor6 ? l->c->anchor6 : port->v6, peer->addr.v6, &bri, port);
	if (m == NULL)
		return;
	l->stats[DSA_LMA_BRI_OUT]++;
	dsa_ctrl_send(l->c, &l->c->pipelines[0], m, nh->port);
}

void
dsa_lma_tick(struct dsa_lma *l)
{
	uint64_t now = rte_rdtsc();

	for (unsigned int i = 0; i < l->cfg->n_profiles; i++) {
		struct bce *e = &l->bce[i];

		if (e->bri_pending && (int64_t)(now - e->bri_next) >= 0) {
			if (e->bri_tries > l->cfg->lma.bri_max_retries) {
				e->bri_pending = false; /* BRIMaxRetries reached */
				l->stats[DSA_LMA_BRI_FAILED]++;
			} else {
				send_bri(l, i);
				e->bri_next =
				        now +
				        (rte_get_tsc_hz() / 1000 * l->cfg->lma.initial_bri_delay_ms
				                << e->bri_tries);
				e->bri_tries++;
			}
		}

		if (!e->used || (int64_t)(now - e->expires) < 0)
			continue;
		if (!e->leaving)
			l->stats[DSA_LMA_EXPIRED]++;
		unbind(l, i, false);
	}
}

/* Build a Mobility Header message in a fresh mbuf: Ethernet to dmac, IPv6
 * from src to dst (checksum filled), sent out of port. */
static struct rte_mbuf *
build_mh(struct dsa_lma *l, const struct rte_ether_addr *dmac, const uint8_t *src,
        const uint8_t *dst, const struct dsa_mh_msg *msg, const struct dsa_port_info *port)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(l->c->dp->pool);
	uint8_t *mh;
	size_t len, cap;

	if (m == NULL)
		return NULL;
	/* The MH goes where dsa_ctrl_ip6_frame() puts the payload. */
	mh = rte_pktmbuf_mtod_offset(
	        m, uint8_t *, sizeof(struct rte_ether_hdr) + sizeof(struct rte_ipv6_hdr));
	cap = rte_pktmbuf_tailroom(m) - sizeof(struct rte_ether_hdr) - sizeof(struct rte_ipv6_hdr);
	if (dsa_mh_build(msg, mh, cap, &len) != 0) {
		rte_pktmbuf_free(m);
		return NULL;
	}
	dsa_ctrl_ip6_frame(m, port, dmac, src, dst, DSA_PROTO_MH, 64, len);
	dsa_mh_set_checksum(src, dst, mh, len);
	return m;
}

int
dsa_lma_input(struct dsa_lma *l, struct dsa_pipeline *pl, struct rte_mbuf *m, unsigned int port_idx)
{
	const struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	const struct rte_ipv6_hdr *ip6 = (const struct rte_ipv6_hdr *)(eth + 1);
	const uint8_t *mh = (const uint8_t *)(ip6 + 1);
	struct dsa_mh_msg pbu, pba;
	struct dsa_mh_err err;
	struct dsa_addr src;
	struct rte_mbuf *out;
	size_t hdr = sizeof(*eth) + sizeof(*ip6), len;
	int profile = -1;

	if (rte_pktmbuf_data_len(m) < hdr || ip6->proto != DSA_PROTO_MH)
		return -ENOENT;
	len = RTE_MIN((size_t)rte_be_to_cpu_16(ip6->payload_len), rte_pktmbuf_data_len(m) - hdr);
	if (dsa_mh_parse(mh, len, &pbu, &err) != 0) {
		if (err.code != DSA_MH_E_UNKNOWN_TYPE) {
			l->stats[DSA_LMA_MALFORMED]++;
			goto free;
		}
		/* RFC 6275 §9.2: an unknown type is answered with a Binding
		 * Error, status 2 (its checksum checked first, as for any MH). */
		if (len < 6 || !dsa_mh_checksum_ok(ip6->src_addr, ip6->dst_addr, mh,
		                       RTE_MIN(len, (size_t)(mh[1] + 1) * 8))) {
			l->stats[DSA_LMA_BAD_CHECKSUM]++;
			goto free;
		}
		l->stats[DSA_LMA_UNHANDLED]++;
		memset(&pba, 0, sizeof(pba));
		pba.type = DSA_MH_TYPE_BE;
		pba.be.status = DSA_MH_BE_UNKNOWN_TYPE;
		goto reply;
	}
	if (!dsa_mh_checksum_ok(ip6->src_addr, ip6->dst_addr, mh, pbu.len)) {
		l->stats[DSA_LMA_BAD_CHECKSUM]++;
		goto free;
	}
	dsa_addr_v6(&src, ip6->src_addr);
	if (pbu.type == DSA_MH_TYPE_BR && pbu.br.br_type == DSA_MH_BR_BRI) {
		/* A MAG revokes its own bindings (RFC 5846 §8): one MN's by MN-ID,
		 * or with the G flag all of them; V limits it to IPv4 HoAs. */
		int peer = peer_of(l->cfg, &src);

		if (peer < 0 || !(pbu.br.flags & DSA_MH_BR_P)) {
			l->stats[DSA_LMA_UNHANDLED]++;
			goto free;
		}
		l->stats[DSA_LMA_BRI_IN]++;
		memset(&pba, 0, sizeof(pba));
		pba.type = DSA_MH_TYPE_BR;
		pba.br.br_type = DSA_MH_BR_BRA;
		pba.br.seq = pbu.br.seq;
		pba.br.flags = pbu.br.flags & DSA_MH_BR_MASK;
		pba.br.trigger_status = revoke(l, &pbu, peer) > 0 || (pbu.br.flags & DSA_MH_BR_G)
		                                ? DSA_BRA_SUCCESS
		                                : DSA_BRA_BINDING_DOES_NOT_EXIST;
		pba.opt.present = pbu.opt.present & DSA_MH_HAS_MNID;
		pba.opt.mnid = pbu.opt.mnid;
		goto reply;
	}
	if (pbu.type == DSA_MH_TYPE_BR && pbu.br.br_type == DSA_MH_BR_BRA) {
		/* RFC 5846 §6.2: the MAG's acknowledgement ends the retransmissions. */
		int peer = peer_of(l->cfg, &src);

		for (unsigned int i = 0; peer >= 0 && i < l->cfg->n_profiles; i++) {
			struct bce *e = &l->bce[i];

			if (e->bri_pending && e->bri_peer == peer && e->bri_seq == pbu.br.seq) {
				e->bri_pending = false;
				l->stats[DSA_LMA_BRA_IN]++;
				goto free;
			}
		}
		l->stats[DSA_LMA_UNHANDLED]++;
		goto free;
	}
	if (pbu.type == DSA_MH_TYPE_HB) {
		/* RFC 5847 §5: answer a peer's heartbeat request. */
		if ((pbu.hb.flags & DSA_MH_HB_R) || peer_of(l->cfg, &src) < 0) {
			l->stats[DSA_LMA_UNHANDLED]++;
			goto free;
		}
		l->stats[DSA_LMA_HEARTBEAT_IN]++;
		memset(&pba, 0, sizeof(pba));
		pba.type = DSA_MH_TYPE_HB;
		pba.hb.flags = DSA_MH_HB_R;
		pba.hb.seq = pbu.hb.seq;
		pba.opt.present = DSA_MH_HAS_RC;
		pba.opt.restart_counter = l->restart_counter;
		goto reply;
	}
	if (pbu.type != DSA_MH_TYPE_BU) {
		l->stats[DSA_LMA_UNHANDLED]++;
		goto free;
	}
	l->stats[DSA_LMA_PBU_IN]++;

	memset(&pba, 0, sizeof(pba));
	pba.type = DSA_MH_TYPE_BA;
	pba.ba.seq = pbu.bu.seq;
	pba.ba.flags = DSA_MH_BA_P;
	pba.ba.status = decide(l, &pbu, &src, &pba, &profile);
	if (pba.ba.status == DSA_PBA_ACCEPTED)
		pba.ba.lifetime =
		        RTE_MIN((uint32_t)pbu.bu.lifetime, l->cfg->lma.max_lifetime_s / 4);
	else
		l->stats[DSA_LMA_REJECTED]++;
	/* RFC 5213 §5.3.6: echo what identifies the mobility session. */
	pba.opt.present |= pbu.opt.present & (DSA_MH_HAS_MNID | DSA_MH_HAS_HI | DSA_MH_HAS_ATT |
	                                             DSA_MH_HAS_LLID | DSA_MH_HAS_TS);
	pba.opt.mnid = pbu.opt.mnid;
	pba.opt.hi = pbu.opt.hi;
	pba.opt.att = pbu.opt.att;
	pba.opt.llid = pbu.opt.llid;
	pba.opt.timestamp = pbu.opt.timestamp;
	if (pba.opt.n_hnp == 0 && pbu.opt.n_hnp != 0) {
		/* Rejected: the prefixes come back as they were asked for. */
		pba.opt.n_hnp = pbu.opt.n_hnp;
		memcpy(pba.opt.hnp, pbu.opt.hnp, sizeof(pba.opt.hnp));
	}
	if (pba.ba.status == DSA_PBA_TIMESTAMP_MISMATCH)
		pba.opt.timestamp = ntp_now(); /* tell the MAG our time (§5.5) */
	/* RFC 5847 §5.2: every PBA tells the MAG whether we restarted. */
	pba.opt.present |= DSA_MH_HAS_RC;
	pba.opt.restart_counter = l->restart_counter;
	l->stats[DSA_LMA_PBA_OUT]++;
reply:
	/* Back to the sender, from the address it wrote to. */
	out = build_mh(
	        l, &eth->src_addr, ip6->dst_addr, ip6->src_addr, &pba, &l->c->dp->ports[port_idx]);
	if (out != NULL)
		dsa_ctrl_send(l->c, pl, out, port_idx);
free:
	rte_pktmbuf_free(m);
	return 0;
}
