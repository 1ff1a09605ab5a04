/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef DSA_LMA_H
#define DSA_LMA_H

/*
 * The anchor's PMIPv6 signalling (RFC 5213 §5.3): a Proxy Binding Update
 * from a configured MAG is checked against the MN's policy profile, its
 * bindings are installed in the data plane through dsa_ctrl_binding_set(),
 * and a Proxy Binding Acknowledgement goes back.
 *
 * This is the first slice: initial registration, re-registration, handover
 * to another MAG (the binding simply moves) and de-registration over IPv6
 * transport, with the status codes below; heartbeat responses and the
 * Restart Counter in every PBA (RFC 5847); Binding Error for unknown MH
 * types; lifetime expiry and MinDelayBeforeBCEDelete; on a handover to
 * another MAG, a BRI to the old one, retransmitted until its BRA or
 * BRIMaxRetries, and a MAG's own BRI (per MN, or all of its bindings with
 * the G flag, IPv4 HoAs only with V) answered with a BRA (RFC 5846); GRE
 * key negotiation (RFC 5845). Not yet: IPv4 transport, dynamic pools,
 * administrative revocation, authentication, the seed 001 dialect.
 *
 * Control lcore only.
 */

#include <stdint.h>

#include <rte_mbuf.h>

#include "dsa_config.h"

/* PBA status codes (RFC 6275 §6.1.8, RFC 5213 §8.9). */
#define DSA_PBA_ACCEPTED               0
#define DSA_PBA_UNSPECIFIED            128
#define DSA_PBA_ADMIN_PROHIBITED       129
#define DSA_PBA_INSUFFICIENT_RESOURCES 130
#define DSA_PBA_SEQ_OUT_OF_WINDOW      135
#define DSA_PBA_PROXY_REG_NOT_ENABLED  151
#define DSA_PBA_NOT_LMA_FOR_THIS_MN    152
#define DSA_PBA_MAG_NOT_AUTHORIZED     153
#define DSA_PBA_NOT_AUTHORIZED_FOR_HNP 154
#define DSA_PBA_TIMESTAMP_MISMATCH     155
#define DSA_PBA_TIMESTAMP_LOWER        156
#define DSA_PBA_MISSING_HNP            157
#define DSA_PBA_MISSING_MNID           159
#define DSA_PBA_MISSING_HI             160
#define DSA_PBA_MISSING_ATT            161

/* Uplink GRE keys the anchor hands out: this plus the MN's profile index. */
#define DSA_LMA_GRE_KEY_BASE 0x10000

/* Binding Revocation Acknowledgement status (RFC 5846 §6.2). */
#define DSA_BRA_SUCCESS                0
#define DSA_BRA_BINDING_DOES_NOT_EXIST 129

/* IPv4 Home Address Reply status (RFC 5844 §3.3.2). */
#define DSA_V4HOA_SUCCESS        0
#define DSA_V4HOA_NOT_AUTHORIZED 129
#define DSA_V4HOA_INCORRECT      130

struct dsa_ctrl;
struct dsa_pipeline;

struct dsa_lma;

/* Returns NULL (rte_errno set) on failure. cfg must outlive the LMA. */
struct dsa_lma *dsa_lma_create(struct dsa_ctrl *c, const struct dsa_config *cfg);
void dsa_lma_free(struct dsa_lma *l);

/*
 * A punted IPv6 packet whose next header is the Mobility Header (data at
 * L2). Consumes m: answered in place, or freed. Returns 0 when it was a
 * Mobility Header message (handled or counted), -ENOENT when it was not.
 */
int dsa_lma_input(
        struct dsa_lma *l, struct dsa_pipeline *pl, struct rte_mbuf *m, unsigned int port_idx);

/*
 * Remove the bindings whose lifetime, or whose MinDelayBeforeBCEDelete
 * after a de-registration, has run out. The control loop calls it every
 * 10 ms; it scans every profile (a timer wheel is the next step at scale).
 */
void dsa_lma_tick(struct dsa_lma *l);

#define DSA_LMA_COUNTERS(X)                                                                        \
	X(PBU_IN, pbu_in, "Proxy Binding Updates received")                                        \
	X(PBA_OUT, pba_out, "Proxy Binding Acknowledgements sent")                                 \
	X(REGISTERED, registered, "registrations and re-registrations accepted")                   \
	X(MOVED, moved, "bindings moved to another MAG (handover)")                                \
	X(DEREGISTERED, deregistered, "de-registrations accepted")                                 \
	X(EXPIRED, expired, "bindings removed when their lifetime ran out")                        \
	X(BRI_OUT, bri_out, "Binding Revocation Indications sent (with retransmissions)")          \
	X(BRA_IN, bra_in, "Binding Revocation Acknowledgements matched")                           \
	X(BRI_FAILED, bri_failed, "revocations given up after BRIMaxRetries")                      \
	X(BRI_UNSENT, bri_unsent, "BRI attempts with no route or neighbour to the MAG")            \
	X(BRI_IN, bri_in, "Binding Revocation Indications from MAGs answered")                     \
	X(REVOKED, revoked, "MNs whose bindings a MAG revoked")                                    \
	X(REJECTED, rejected, "PBUs answered with a non-zero status")                              \
	X(MALFORMED, malformed, "Mobility Header messages that failed to parse")                   \
	X(BAD_CHECKSUM, bad_checksum, "Mobility Header checksum wrong")                            \
	X(HEARTBEAT_IN, heartbeat_in, "heartbeat requests answered (RFC 5847)")                    \
	X(UNHANDLED, unhandled,                                                                    \
	        "Mobility Header types not served (unknown ones get a Binding Error)")

enum dsa_lma_counter {
#define X(e, n, h) DSA_LMA_##e,
	DSA_LMA_COUNTERS(X)
#undef X
	        DSA_LMA_MAX
};
extern const char *const dsa_lma_counter_names[DSA_LMA_MAX];
void dsa_lma_stats(const struct dsa_lma *l, uint64_t *out);

#endif /* DSA_LMA_H */
