/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef DSA_CTRL_H
#define DSA_CTRL_H

/*
 * The control lcore (ARCHITECTURE §3): the only writer of the binding and
 * route tables. It drains the pipelines' punt rings (ARP, ND, ICMP echo for
 * our addresses, next hops to resolve), sends what it builds through the
 * pipelines' inject rings, and reclaims binding memory after each RCU grace
 * period. Signalling (PBU/PBA, ...) plugs in here and changes bindings only
 * through dsa_ctrl_binding_set() / dsa_ctrl_binding_del().
 *
 * Every function here runs on the control lcore (or on the main thread
 * before the pipelines start).
 */

#include <stdbool.h>
#include <stdint.h>

#include "dsa_config.h"
#include "dsa_pipeline.h"

#define DSA_CTRL_COUNTERS(X)                                                                       \
	X(ARP_REQUEST_IN, arp_request_in, "ARP requests for our addresses")                        \
	X(ARP_REPLY_OUT, arp_reply_out, "ARP replies sent")                                        \
	X(ARP_LEARNED, arp_learned, "neighbours learnt from ARP")                                  \
	X(NS_IN, ns_in, "Neighbour Solicitations for our addresses")                               \
	X(NA_OUT, na_out, "Neighbour Advertisements sent")                                         \
	X(ND_LEARNED, nd_learned, "neighbours learnt from ND")                                     \
	X(ECHO_REPLY, echo_reply, "ICMP / ICMPv6 echo replies sent")                               \
	X(RESOLVE_SENT, resolve_sent, "ARP requests / NS sent to resolve a next hop")              \
	X(RESOLVE_SUPPRESSED, resolve_suppressed, "resolutions not repeated (rate limit)")         \
	X(NOT_FOR_US, not_for_us, "punted packets nobody wanted")                                  \
	X(MALFORMED, malformed, "malformed ARP / ND / ICMP")                                       \
	X(OFF_LINK, off_link, "ARP / ND senders outside the port's prefix (not learnt)")           \
	X(NO_MBUF, no_mbuf, "replies not sent: no buffer")                                         \
	X(INJECT_FULL, inject_full, "replies not sent: inject ring full")

enum dsa_ctrl_counter {
#define X(e, n, h) DSA_CTRL_##e,
	DSA_CTRL_COUNTERS(X)
#undef X
	        DSA_CTRL_MAX
};
extern const char *const dsa_ctrl_counter_names[DSA_CTRL_MAX];

#define DSA_CTRL_RESOLVE_SLOTS 1024

struct dsa_ctrl {
	struct dsa_dp *dp;
	struct dsa_route_table *rt;
	struct dsa_bind_table *bt;
	unsigned int n_pipelines;
	struct dsa_pipeline *pipelines;
	volatile bool *running;
	/* Anchor (tunnel endpoint) addresses: outer source of encapsulation. */
	bool has_anchor4, has_anchor6;
	rte_be32_t anchor4;
	uint8_t anchor6[16];
	enum dsa_idle_mode idle_mode;
	uint32_t idle_sleep_us;
	uint64_t idle_exit_cycles; /* stop after this long without RX (tests); 0: never */
	uint64_t stats[DSA_CTRL_MAX];
	struct dsa_lma *lma; /* PMIPv6 signalling; NULL: Mobility Header not served */
	struct {
		struct dsa_addr addr;
		uint64_t last;
	} resolve[DSA_CTRL_RESOLVE_SLOTS];
};

/*
 * Install (or move) the bindings of one MN: every home address it has
 * (hoa4, hnp, hoa6) is tunnelled to b->coa. All or nothing: on failure no
 * key is changed. Returns 0 or -errno with a reason in err.
 */
int dsa_ctrl_binding_set(
        struct dsa_ctrl *c, const struct dsa_binding_cfg *b, uint32_t id, char *err, size_t errlen);
/* Remove the bindings of one MN. Returns 0 or -ENOENT when none existed. */
int dsa_ctrl_binding_del(struct dsa_ctrl *c, const struct dsa_binding_cfg *b);

/*
 * Lay Ethernet (from port's MAC to dmac) and IPv6 (src to dst) headers at the
 * start of the empty mbuf m and extend it by payload_len bytes of payload.
 * Returns the payload's start (NULL when m has no room).
 */
uint8_t *dsa_ctrl_ip6_frame(struct rte_mbuf *m, const struct dsa_port_info *port,
        const struct rte_ether_addr *dmac, const uint8_t *src, const uint8_t *dst, uint8_t proto,
        uint8_t hop_limit, uint16_t payload_len);

/* Send a frame control built out of port port_idx, through pipeline pl. */
void dsa_ctrl_send(
        struct dsa_ctrl *c, struct dsa_pipeline *pl, struct rte_mbuf *m, unsigned int port_idx);

/* Handle one punted packet (consumes m). pl: the pipeline it came from. */
void dsa_ctrl_handle_punt(struct dsa_ctrl *c, struct dsa_pipeline *pl, struct rte_mbuf *m);

/* The control loop; returns when *c->running turns false. */
void dsa_ctrl_run(struct dsa_ctrl *c);

/* Sum the counters of every pipeline into out. */
void dsa_ctrl_sum_stats(const struct dsa_ctrl *c, struct dsa_lcore_stats *out);

#endif /* DSA_CTRL_H */
