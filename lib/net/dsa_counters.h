/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef DSA_COUNTERS_H
#define DSA_COUNTERS_H

/*
 * Every per-packet counter and drop reason, defined once. The lists expand
 * into the enums, into the name tables that telemetry and the exit report
 * print, and into the help text. Counters live per lcore (struct
 * dsa_lcore_stats in dsa_pipeline.h); nothing here is shared or atomic.
 */

#define DSA_COUNTERS(X)                                                                            \
	X(RX, rx, "packets received")                                                              \
	X(TX, tx, "packets sent")                                                                  \
	X(ENCAP_6IN6, encap_6in6, "IPv6 tunnelled in IPv6 (RFC 2473)")                             \
	X(ENCAP_4IN6, encap_4in6, "IPv4 tunnelled in IPv6 (RFC 2473)")                             \
	X(ENCAP_4IN4, encap_4in4, "IPv4 tunnelled in IPv4 (RFC 2003)")                             \
	X(ENCAP_6IN4, encap_6in4, "IPv6 tunnelled in IPv4 (RFC 4213)")                             \
	X(ENCAP_GRE6, encap_gre6, "tunnelled in GRE over IPv6 with key (RFC 5845)")                \
	X(ENCAP_GRE4, encap_gre4, "tunnelled in GRE over IPv4 with key (RFC 5845)")                \
	X(DECAP_6IN6, decap_6in6, "IPv6 taken out of IPv6")                                        \
	X(DECAP_4IN6, decap_4in6, "IPv4 taken out of IPv6")                                        \
	X(DECAP_4IN4, decap_4in4, "IPv4 taken out of IPv4")                                        \
	X(DECAP_6IN4, decap_6in4, "IPv6 taken out of IPv4")                                        \
	X(DECAP_GRE6, decap_gre6, "taken out of GRE over IPv6")                                    \
	X(DECAP_GRE4, decap_gre4, "taken out of GRE over IPv4")                                    \
	X(HAIRPIN, hairpin, "MN-to-MN packets decapsulated and re-encapsulated")                   \
	X(ROUTED, routed, "packets forwarded by the routing table")                                \
	X(PUNT, punt, "packets handed to the control lcore")                                       \
	X(INJECT, inject, "packets from the control lcore sent by this pipeline")                  \
	X(ICMP_ERR, icmp_err, "ICMP/ICMPv6 errors generated")                                      \
	X(ICMP_RATELIMITED, icmp_ratelimited, "ICMP errors not sent: rate limit")                  \
	X(FRAG_IN, frag_in, "IPv4 packets fragmented before encapsulation")                        \
	X(FRAG_OUT, frag_out, "fragments produced")                                                \
	X(REASM_HELD, reasm_held, "outer fragments held for reassembly")                           \
	X(REASM_DONE, reasm_done, "outer packets reassembled")                                     \
	X(NOTICES, notices, "binding-change notices received")

#define DSA_DROPS(X)                                                                               \
	X(TRUNCATED, truncated, "headers shorter than they must be, or than they claim")           \
	X(BAD_VERSION, bad_version, "IP version field does not match the ethertype")               \
	X(BAD_IPV4_CSUM, bad_ipv4_csum, "IPv4 header checksum is wrong")                           \
	X(BAD_INNER, bad_inner, "inner packet is not a valid IPv4/IPv6 packet")                    \
	X(BAD_GRE, bad_gre, "GRE version, flags or protocol not supported")                        \
	X(UNKNOWN_HOA, unknown_hoa, "destination in a home network without a binding")             \
	X(SPOOFED_SRC, spoofed_src, "uplink inner source not bound to the outer source")           \
	X(OUTER_DST_NOT_OURS, outer_dst_not_ours, "tunnel packet for an address that is not ours") \
	X(NO_ROUTE, no_route, "no route to the destination")                                       \
	X(BLACKHOLE, blackhole, "destination routed to a blackhole")                               \
	X(TTL_EXCEEDED, ttl_exceeded, "TTL or hop limit ran out")                                  \
	X(TOO_BIG, too_big, "larger than the tunnel MTU and not fragmentable")                     \
	X(ECN_DROP, ecn_drop, "outer CE on a not-ECT inner packet (RFC 6040)")                     \
	X(FRAG_FAIL, frag_fail, "fragmentation failed (no buffers)")                               \
	X(REASM_FAIL, reasm_fail, "outer reassembly failed or timed out")                          \
	X(NEIGH_PENDING, neigh_pending, "next hop not resolved yet (punted to resolve)")           \
	X(MARTIAN, martian, "multicast, broadcast or invalid address where not allowed")           \
	X(UNSUPPORTED_L2, unsupported_l2, "ethertype not handled")                                 \
	X(NO_HEADROOM, no_headroom, "no room to prepend the outer header")                         \
	X(PUNT_FULL, punt_full, "punt ring to control full")                                       \
	X(PUNT_RATELIMITED, punt_ratelimited,                                                      \
	        "for-us packets over their source's or the total punt rate")                       \
	X(TX_FULL, tx_full, "TX queue full")                                                       \
	X(NOT_FOR_US, not_for_us, "control-plane packet control did not want")

enum dsa_counter {
#define X(e, n, h) DSA_CNT_##e,
	DSA_COUNTERS(X)
#undef X
	        DSA_CNT_MAX
};

enum dsa_drop {
	DSA_DROP_NONE = 0,
#define X(e, n, h) DSA_DROP_##e,
	DSA_DROPS(X)
#undef X
	        DSA_DROP_MAX
};

extern const char *const dsa_counter_names[DSA_CNT_MAX];
extern const char *const dsa_counter_help[DSA_CNT_MAX];
extern const char *const dsa_drop_names[DSA_DROP_MAX];
extern const char *const dsa_drop_help[DSA_DROP_MAX];

#endif /* DSA_COUNTERS_H */
