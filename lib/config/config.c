/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The grammar of the config file and of the drivers-cfg profiles is the one
 * table keys[] below: each key with its type, range, default and help text.
 * parse_object() walks it to parse, dsa_config_help() walks it to print the
 * manual, so the two cannot drift apart.
 *
 * Parsing writes straight into the caller's struct dsa_config; any error
 * frees what was allocated and zeroes the struct again (all-or-nothing).
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include <rte_common.h>
#include <rte_config.h>
#include <rte_ethdev.h>
#include <rte_log.h>

#include "dsa_config.h"

#ifndef DSA_PROFILES_DIR
#error "DSA_PROFILES_DIR must be defined by the build"
#endif

/* The "in" of a profile's top-level keys. */
#define PROFILE "<profile>"
/* JSON flags for every document we read. */
#define JSON_FLAGS JSON_REJECT_DUPLICATES

/* Where a message is going, and the JSON path being parsed. */
struct ctx {
	const char *file;
	const char *suffix; /* appended to the reason, e.g. " (ports[0].profile)" */
	char path[256];
	size_t plen;
	char *err;
	size_t errlen;
	struct dsa_config *cfg;
	const char *profiles_dir;
};

enum kind {
	K_OBJ,    /* a nested object; its keys have .in == .sub */
	K_STR,    /* string into a char array; .min = minimum length; .size 0: check only */
	K_INT,    /* integer in .min...max */
	K_BOOL,   /* true or false */
	K_ENUM,   /* string from .names, stored as its value */
	K_FLAGS,  /* array of strings from .names, values OR'ed into a uint64_t */
	K_ADDR,   /* address of family .af (0: either); .size 4 stores only the IPv4 */
	K_IFADDR, /* interface address "addr/len" of family .af, host bits allowed */
	K_PREFIX, /* prefix (host bits zero) of family .af, length in .min...max */
	K_MAC,    /* unicast MAC address */
	K_PORT,   /* name of an entry of "ports", stored as its index (int) */
	K_FN,     /* parsed by .fn */
};

struct name_val {
	const char *name;
	uint64_t val;
};

struct key;
typedef int (*key_fn)(struct ctx *c, const struct key *k, json_t *v, void *base);

struct key {
	const char *in;   /* enclosing object: "" top level, "tunnel", "ports[]", PROFILE */
	const char *name; /* the key */
	enum kind kind;
	bool required;
	long long min, max;
	uint8_t af;
	const struct name_val *names; /* K_ENUM, K_FLAGS */
	const char *noun;             /* K_FLAGS: what one entry is, for messages */
	size_t off, size;             /* the field, relative to the object's base */
	bool has;                     /* set the flag at has_off when the key is present */
	size_t has_off, has_size;     /* the flag: a bool or an unsigned integer */
	const char *sub;              /* K_OBJ: the .in of its keys */
	key_fn fn;                    /* K_FN */
	const char *type;             /* help: overrides the type derived from .kind */
	const char *def;              /* JSON text applied when the key is absent */
	const char *def_doc;          /* help: a default the code applies */
	const char *help;
};

static const struct name_val roles[] = {
	{ "lma", DSA_ROLE_LMA },
	{ "mag", DSA_ROLE_MAG },
	{ "gmap", DSA_ROLE_GMAP },
	{ NULL, 0 },
};

static const struct name_val idle_modes[] = {
	{ "busy", DSA_IDLE_BUSY },
	{ "adaptive", DSA_IDLE_ADAPTIVE },
	{ NULL, 0 },
};

static const struct name_val ecn_modes[] = {
	{ "normal", false },
	{ "compat", true },
	{ NULL, 0 },
};

static const struct name_val route_types[] = {
	{ "via", DSA_ROUTE_VIA },
	{ "home", DSA_ROUTE_HOME },
	{ "blackhole", DSA_ROUTE_BLACKHOLE },
	{ NULL, 0 },
};

static const struct name_val orderings[] = {
	{ "timestamp", false },
	{ "sequence", true },
	{ NULL, 0 },
};

static const struct name_val dialects[] = {
	{ "rfc", DSA_DIALECT_RFC },
	{ "seed001", DSA_DIALECT_SEED001 },
	{ NULL, 0 },
};

static const struct name_val log_levels[] = {
	{ "emerg", RTE_LOG_EMERG },
	{ "alert", RTE_LOG_ALERT },
	{ "crit", RTE_LOG_CRIT },
	{ "err", RTE_LOG_ERR },
	{ "warning", RTE_LOG_WARNING },
	{ "notice", RTE_LOG_NOTICE },
	{ "info", RTE_LOG_INFO },
	{ "debug", RTE_LOG_DEBUG },
	{ NULL, 0 },
};

static const struct name_val rss_types[] = {
	{ "ip", RTE_ETH_RSS_IP },
	{ "ipv4", RTE_ETH_RSS_IPV4 },
	{ "ipv6", RTE_ETH_RSS_IPV6 },
	{ "tcp", RTE_ETH_RSS_TCP },
	{ "udp", RTE_ETH_RSS_UDP },
	{ "sctp", RTE_ETH_RSS_SCTP },
	{ "l2_payload", RTE_ETH_RSS_L2_PAYLOAD },
	{ NULL, 0 },
};

#define RSS_DEFAULT (RTE_ETH_RSS_IP | RTE_ETH_RSS_UDP | RTE_ETH_RSS_TCP)

static const struct name_val rx_offloads[] = {
	{ "vlan_strip", RTE_ETH_RX_OFFLOAD_VLAN_STRIP },
	{ "ipv4_cksum", RTE_ETH_RX_OFFLOAD_IPV4_CKSUM },
	{ "udp_cksum", RTE_ETH_RX_OFFLOAD_UDP_CKSUM },
	{ "tcp_cksum", RTE_ETH_RX_OFFLOAD_TCP_CKSUM },
	{ "sctp_cksum", RTE_ETH_RX_OFFLOAD_SCTP_CKSUM },
	{ "tcp_lro", RTE_ETH_RX_OFFLOAD_TCP_LRO },
	{ "outer_ipv4_cksum", RTE_ETH_RX_OFFLOAD_OUTER_IPV4_CKSUM },
	{ "outer_udp_cksum", RTE_ETH_RX_OFFLOAD_OUTER_UDP_CKSUM },
	{ "scatter", RTE_ETH_RX_OFFLOAD_SCATTER },
	{ "keep_crc", RTE_ETH_RX_OFFLOAD_KEEP_CRC },
	{ "rss_hash", RTE_ETH_RX_OFFLOAD_RSS_HASH },
	{ "timestamp", RTE_ETH_RX_OFFLOAD_TIMESTAMP },
	{ NULL, 0 },
};

static const struct name_val tx_offloads[] = {
	{ "vlan_insert", RTE_ETH_TX_OFFLOAD_VLAN_INSERT },
	{ "ipv4_cksum", RTE_ETH_TX_OFFLOAD_IPV4_CKSUM },
	{ "udp_cksum", RTE_ETH_TX_OFFLOAD_UDP_CKSUM },
	{ "tcp_cksum", RTE_ETH_TX_OFFLOAD_TCP_CKSUM },
	{ "sctp_cksum", RTE_ETH_TX_OFFLOAD_SCTP_CKSUM },
	{ "tcp_tso", RTE_ETH_TX_OFFLOAD_TCP_TSO },
	{ "udp_tso", RTE_ETH_TX_OFFLOAD_UDP_TSO },
	{ "outer_ipv4_cksum", RTE_ETH_TX_OFFLOAD_OUTER_IPV4_CKSUM },
	{ "outer_udp_cksum", RTE_ETH_TX_OFFLOAD_OUTER_UDP_CKSUM },
	{ "gre_tnl_tso", RTE_ETH_TX_OFFLOAD_GRE_TNL_TSO },
	{ "ipip_tnl_tso", RTE_ETH_TX_OFFLOAD_IPIP_TNL_TSO },
	{ "multi_segs", RTE_ETH_TX_OFFLOAD_MULTI_SEGS },
	{ "mbuf_fast_free", RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE },
	{ NULL, 0 },
};

static int parse_eal(struct ctx *c, const struct key *k, json_t *v, void *base);
static int parse_pipelines(struct ctx *c, const struct key *k, json_t *v, void *base);
static int parse_local(struct ctx *c, const struct key *k, json_t *v, void *base);
static int parse_ports(struct ctx *c, const struct key *k, json_t *v, void *base);
static int parse_profile(struct ctx *c, const struct key *k, json_t *v, void *base);
static int parse_routes(struct ctx *c, const struct key *k, json_t *v, void *base);
static int parse_neighbors(struct ctx *c, const struct key *k, json_t *v, void *base);
static int parse_bindings(struct ctx *c, const struct key *k, json_t *v, void *base);
static int parse_peers(struct ctx *c, const struct key *k, json_t *v, void *base);
static int parse_mn_profiles(struct ctx *c, const struct key *k, json_t *v, void *base);
static int parse_hoa4(struct ctx *c, const struct key *k, json_t *v, void *base);
static int parse_att(struct ctx *c, const struct key *k, json_t *v, void *base);
static int parse_mags(struct ctx *c, const struct key *k, json_t *v, void *base);

#define CFG   struct dsa_config
#define PORT  struct dsa_port_cfg
#define PROF  struct dsa_port_profile
#define ROUTE struct dsa_route_cfg
#define NEIGH struct dsa_neigh_cfg
#define BIND  struct dsa_binding_cfg
#define PEER  struct dsa_peer_cfg
#define MNP   struct dsa_profile_cfg

#define AT(st, f)     .off = offsetof(st, f), .size = sizeof(((st *)0)->f)
#define HAS(st, f)    .has = true, .has_off = offsetof(st, f), .has_size = sizeof(((st *)0)->f)
#define RANGE(lo, hi) .min = (lo), .max = (hi)
#define REQ           .required = true

/* The grammar. Keys are parsed in this order, so an object's keys come after
 * anything they refer to (routes after ports). */
static const struct key keys[] = {
	{ "", "role", K_ENUM, REQ, AT(CFG, role), .names = roles,
	        .help = "what this node is: lma anchors home addresses, mag is the access "
	                "gateway, gmap is an lma that also relays between domains" },
	{ "", "eal", K_FN, .fn = parse_eal, .type = "[string]", .def_doc = "none",
	        .help = "EAL arguments; the command line's come after them" },

	{ "", "lcores", K_OBJ, .sub = "lcores", .help = "which lcores do what" },
	{ "lcores", "control", K_INT, AT(CFG, lcores.control), RANGE(0, RTE_MAX_LCORE - 1),
	        .def_doc = "main lcore", .help = "the control lcore (signalling, timers, config)" },
	{ "lcores", "pipelines", K_FN, .fn = parse_pipelines, .type = "[lcore]|int", .def = "1",
	        .help = "pipeline lcores: a list of 1..16 distinct lcore ids (not the control "
	                "lcore), or how many (1..16) to pick automatically" },

	{ "", "idle", K_OBJ, .sub = "idle", .help = "what an idle pipeline does" },
	{ "idle", "mode", K_ENUM, AT(CFG, idle.mode), .names = idle_modes, .def = "\"busy\"",
	        .help = "busy: poll without pause; adaptive: pause, then sleep after spin_polls "
	                "empty polls" },
	{ "idle", "spin_polls", K_INT, AT(CFG, idle.spin_polls), RANGE(1, 1000000), .def = "256",
	        .help = "adaptive: empty polls before sleeping" },
	{ "idle", "sleep_us", K_INT, AT(CFG, idle.sleep_us), RANGE(1, 100000), .def = "100",
	        .help = "adaptive: length of one sleep, in microseconds" },

	{ "", "tunnel", K_OBJ, .sub = "tunnel", .help = "outer headers of the tunnels" },
	{ "tunnel", "ttl", K_INT, AT(CFG, tunnel.ttl), RANGE(1, 255), .def = "64",
	        .help = "outer IPv4 TTL" },
	{ "tunnel", "hop_limit", K_INT, AT(CFG, tunnel.hop_limit), RANGE(1, 255), .def = "64",
	        .help = "outer IPv6 hop limit" },
	{ "tunnel", "ecn", K_ENUM, AT(CFG, tunnel.ecn_compat), .names = ecn_modes,
	        .def = "\"normal\"",
	        .help = "RFC 6040 mode: normal copies ECN to the outer header, compat sends "
	                "Not-ECT outside" },
	{ "tunnel", "icmp_rate", K_INT, AT(CFG, tunnel.icmp_rate), RANGE(0, 1000000), .def = "100",
	        .help = "ICMP errors (Packet Too Big, Fragmentation Needed) per second per "
	                "pipeline" },
	{ "tunnel", "icmp_burst", K_INT, AT(CFG, tunnel.icmp_burst), RANGE(1, 1000000), .def = "10",
	        .help = "ICMP errors allowed in a burst" },

	{ "", "punt", K_OBJ, .sub = "punt",
	        .help = "rate limits on packets for the appliance itself (signalling, ARP, ND, "
	                "echo), per pipeline: a flood from one source cannot starve the others" },
	{ "punt", "per_source_rate", K_INT, AT(CFG, punt.src_rate), RANGE(1, 10000000),
	        .def = "2000", .help = "packets per second from one source address" },
	{ "punt", "per_source_burst", K_INT, AT(CFG, punt.src_burst), RANGE(1, 10000000),
	        .def = "500", .help = "burst allowed from one source address" },
	{ "punt", "rate", K_INT, AT(CFG, punt.rate), RANGE(1, 100000000), .def = "200000",
	        .help = "packets per second to the control lcore, all sources together" },
	{ "punt", "burst", K_INT, AT(CFG, punt.burst), RANGE(1, 100000000), .def = "20000",
	        .help = "burst allowed, all sources together" },
	{ "", "tables", K_OBJ, .sub = "tables", .help = "binding table sizes (entries)" },
	{ "tables", "ipv4", K_INT, AT(CFG, tables.ipv4), RANGE(8, 1 << 26), .def = "65536",
	        .help = "IPv4 /32 home addresses" },
	{ "tables", "ipv6_prefix", K_INT, AT(CFG, tables.ipv6_prefix), RANGE(8, 1 << 26),
	        .def = "65536", .help = "IPv6 /64 home network prefixes" },
	{ "tables", "ipv6_host", K_INT, AT(CFG, tables.ipv6_host), RANGE(8, 1 << 26),
	        .def = "16384", .help = "IPv6 /128 home addresses" },

	{ "", "memory", K_OBJ, .sub = "memory", .help = "packet memory" },
	{ "memory", "mbufs", K_INT, AT(CFG, mem.mbufs), RANGE(1024, 1 << 24), .def = "16384",
	        .help = "mbufs per socket" },
	{ "memory", "frag_entries", K_INT, AT(CFG, mem.frag_entries), RANGE(16, 1 << 20),
	        .def = "4096", .help = "reassembly flows per pipeline" },
	{ "memory", "frag_timeout_ms", K_INT, AT(CFG, mem.frag_timeout_ms), RANGE(1, 60000),
	        .def = "2000", .help = "how long an incomplete datagram is kept" },

	{ "", "local_addresses", K_FN, .fn = parse_local, .type = "[address]", .def_doc = "none",
	        .help = "anchor addresses besides the ports' own (at most 16, either family)" },

	{ "", "ports", K_FN, REQ, .fn = parse_ports, .type = "[object]",
	        .help = "the ports, 1..8; the order gives the port index" },
	{ "ports[]", "name", K_STR, REQ, AT(PORT, name), .min = 1,
	        .help = "unique name, used by routes and neighbors" },
	{ "ports[]", "profile", K_FN, REQ, .fn = parse_profile, .type = "string",
	        .help = "drivers-cfg profile: <profiles_dir>/<profile>.json" },
	{ "ports[]", "device", K_STR, REQ, AT(PORT, device), .min = 1,
	        .help = "PCI address (0000:03:00.0) or vdev string (net_pcap0,rx_pcap=a.pcap)" },
	{ "ports[]", "mac", K_MAC, AT(PORT, mac), HAS(PORT, has_mac), .def_doc = "the device's",
	        .help = "MAC address to set" },
	{ "ports[]", "ipv4", K_IFADDR, .af = AF_INET, AT(PORT, ipv4), HAS(PORT, has_ipv4),
	        .def_doc = "none", .help = "interface address and on-link prefix length" },
	{ "ports[]", "ipv6", K_IFADDR, .af = AF_INET6, AT(PORT, ipv6), HAS(PORT, has_ipv6),
	        .def_doc = "none", .help = "interface address and on-link prefix length" },
	{ "ports[]", "mtu", K_INT, AT(PORT, mtu), RANGE(68, 9600), .def_doc = "profile, 1500",
	        .help = "link MTU; else the profile's, else 1500" },

	{ "", "routes", K_FN, .fn = parse_routes, .type = "[object]", .def_doc = "none",
	        .help = "static routes" },
	{ "routes[]", "prefix", K_PREFIX, REQ, AT(ROUTE, prefix), RANGE(0, 128),
	        .help = "destination prefix (host bits zero)" },
	{ "routes[]", "type", K_ENUM, AT(ROUTE, type), .names = route_types, .def = "\"via\"",
	        .help = "via: forward out of port; home: deliver through bindings; "
	                "blackhole: drop" },
	{ "routes[]", "port", K_PORT, AT(ROUTE, port), .def_doc = "(via: required)",
	        .help = "via: the port to send out of; not allowed for home and blackhole" },
	{ "routes[]", "via", K_ADDR, AT(ROUTE, via), .def_doc = "on-link",
	        .help = "via: gateway address, of the prefix's family" },

	{ "", "neighbors", K_FN, .fn = parse_neighbors, .type = "[object]", .def_doc = "none",
	        .help = "static ARP/ND entries" },
	{ "neighbors[]", "ip", K_ADDR, REQ, AT(NEIGH, ip), .help = "neighbor address" },
	{ "neighbors[]", "mac", K_MAC, REQ, AT(NEIGH, mac), .help = "its MAC address" },
	{ "neighbors[]", "port", K_PORT, REQ, AT(NEIGH, port), .help = "the port it is on" },

	{ "", "bindings", K_FN, .fn = parse_bindings, .type = "[object]", .def_doc = "none",
	        .help = "static bindings (each needs hoa4, hnp or hoa6)" },
	{ "bindings[]", "mn_id", K_STR, AT(BIND, mn_id), .min = 1, .def_doc = "none",
	        .help = "mobile node identifier (unique)" },
	{ "bindings[]", "hoa4", K_ADDR, .af = AF_INET, AT(BIND, hoa4), HAS(BIND, has_hoa4),
	        .def_doc = "none", .help = "IPv4 home address" },
	{ "bindings[]", "hnp", K_PREFIX, .af = AF_INET6, RANGE(64, 64), AT(BIND, hnp),
	        HAS(BIND, has_hnp), .def_doc = "none", .help = "IPv6 home network prefix" },
	{ "bindings[]", "hoa6", K_ADDR, .af = AF_INET6, AT(BIND, hoa6), HAS(BIND, has_hoa6),
	        .def_doc = "none", .help = "IPv6 home address (DSMIPv6)" },
	{ "bindings[]", "coa", K_ADDR, REQ, AT(BIND, coa),
	        .help = "care-of address; its family picks the tunnel" },
	{ "bindings[]", "gre_key", K_INT, RANGE(0, UINT32_MAX), AT(BIND, gre_key),
	        HAS(BIND, has_gre_key), .def_doc = "no key", .help = "GRE key (RFC 5845)" },

	{ "", "lma", K_OBJ, .sub = "lma", .help = "proxy mobile IPv6 signalling (role lma)" },
	{ "lma", "max_lifetime_s", K_INT, AT(CFG, lma.max_lifetime_s), RANGE(4, 262140),
	        .def = "3600", .help = "longest binding lifetime granted, in seconds" },
	{ "lma", "min_delay_before_bce_delete_ms", K_INT, AT(CFG, lma.min_delay_before_delete_ms),
	        RANGE(0, 60000), .def = "10000",
	        .help = "MinDelayBeforeBCEDelete: how long a deregistered binding is kept" },
	{ "lma", "max_delay_before_new_bce_assign_ms", K_INT,
	        AT(CFG, lma.max_delay_before_assign_ms), RANGE(0, 60000), .def = "1500",
	        .help = "MaxDelayBeforeNewBCEAssign: how long a PBU for a binding being "
	                "deleted waits" },
	{ "lma", "timestamp_window_ms", K_INT, AT(CFG, lma.timestamp_window_ms), RANGE(1, 60000),
	        .def = "300", .help = "TimestampValidityWindow: tolerated clock difference" },
	{ "lma", "ordering", K_ENUM, AT(CFG, lma.seqno_ordering), .names = orderings,
	        .def = "\"timestamp\"",
	        .help = "how PBUs are ordered: by their timestamp option or by sequence number" },
	{ "lma", "bri_max_retries", K_INT, AT(CFG, lma.bri_max_retries), RANGE(0, 10), .def = "1",
	        .help = "BRIMaxRetries: BRI retransmissions before giving up (RFC 5846)" },
	{ "lma", "initial_bri_delay_ms", K_INT, AT(CFG, lma.initial_bri_delay_ms),
	        RANGE(100, 60000), .def = "1000",
	        .help = "InitialBRIDelay: wait before the first BRI retransmission, doubled "
	                "after" },
	{ "lma", "ipv4_default_router", K_ADDR, .af = AF_INET, AT(CFG, lma.ipv4_default_router),
	        HAS(CFG, lma.ipv4_default_router_set), .def_doc = "none",
	        .help = "IPv4 default router returned with an IPv4 home address (RFC 5844)" },

	{ "", "peers", K_FN, .fn = parse_peers, .type = "[object]", .def_doc = "none",
	        .help = "MAGs allowed to send PBUs (at most 64); profiles[].mags names them" },
	{ "peers[]", "name", K_STR, REQ, AT(PEER, name), .min = 1,
	        .help = "unique name, used by profiles[].mags" },
	{ "peers[]", "address", K_ADDR, REQ, AT(PEER, addr),
	        .help = "the MAG's proxy care-of address (either family, unique)" },
	{ "peers[]", "dialect", K_ENUM, AT(PEER, dialect), .names = dialects, .def = "\"rfc\"",
	        .help = "rfc: RFC 5213/5844 encodings; seed001: IPv4-only stations" },

	{ "", "profiles", K_FN, .fn = parse_mn_profiles, .type = "[object]", .def_doc = "none",
	        .help = "per-MN policy profiles, keyed by MN-ID" },
	{ "profiles[]", "mn_id", K_STR, REQ, AT(MNP, mn_id), .min = 1,
	        .help = "mobile node identifier (unique)" },
	{ "profiles[]", "hnp", K_PREFIX, .af = AF_INET6, RANGE(64, 64), AT(MNP, hnp),
	        HAS(MNP, has_hnp), .def_doc = "none", .help = "IPv6 home network prefix (unique)" },
	{ "profiles[]", "hoa4", K_FN, .fn = parse_hoa4, .type = "IPv4[/len 8..32]",
	        .def_doc = "none",
	        .help = "IPv4 home address (unique) and its prefix length (default 32, host "
	                "bits allowed)" },
	{ "profiles[]", "att", K_FN, .fn = parse_att, .type = "[int 0..31]", .def_doc = "any",
	        .help = "access technology types allowed" },
	{ "profiles[]", "mags", K_FN, .fn = parse_mags, .type = "[peer name]",
	        .def_doc = "any peer", .help = "the peers it may attach through (at most 8)" },

	{ "", "log", K_OBJ, .sub = "log", .help = "logging" },
	{ "log", "level", K_ENUM, AT(CFG, log_level), .names = log_levels, .def = "\"notice\"",
	        .help = "rte_log level of the appliance's log types" },

	/* A drivers-cfg/<profile>.json port profile. */
	{ PROFILE, "driver", K_STR, REQ, AT(PROF, driver), .min = 1,
	        .help = "the PMD (informational): net_ice, net_pcap, ..." },
	{ PROFILE, "description", K_STR, .def_doc = "none", .help = "free text, not used" },
	{ PROFILE, "rx_desc", K_INT, AT(PROF, rx_desc), RANGE(32, 32768), .def = "1024",
	        .help = "RX descriptors per queue" },
	{ PROFILE, "tx_desc", K_INT, AT(PROF, tx_desc), RANGE(32, 32768), .def = "1024",
	        .help = "TX descriptors per queue" },
	{ PROFILE, "rss", K_BOOL, AT(PROF, rss), .def = "false",
	        .help = "spread RX over the pipelines' queues" },
	{ PROFILE, "rss_hf", K_FLAGS, AT(PROF, rss_hf), .names = rss_types, .noun = "RSS type",
	        .def_doc = "rss: ip,tcp,udp", .help = "what RSS hashes on" },
	{ PROFILE, "rx_offloads", K_FLAGS, AT(PROF, rx_offloads), .names = rx_offloads,
	        .noun = "RX offload", .def = "[]", .help = "RTE_ETH_RX_OFFLOAD_* to enable" },
	{ PROFILE, "tx_offloads", K_FLAGS, AT(PROF, tx_offloads), .names = tx_offloads,
	        .noun = "TX offload", .def = "[]", .help = "RTE_ETH_TX_OFFLOAD_* to enable" },
	{ PROFILE, "mtu", K_INT, AT(PROF, mtu), RANGE(68, 9600), .def_doc = "device's",
	        .help = "MTU of ports using this profile (a port's own mtu wins)" },
	{ PROFILE, "max_queues", K_INT, AT(PROF, max_queues), RANGE(0, 1024), .def = "0",
	        .help = "queue pairs the device supports; 0: no limit" },
	{ PROFILE, "devargs", K_STR, AT(PROF, devargs), .def = "\"\"",
	        .help = "appended to a vdev's own arguments" },
};

static int parse_object(struct ctx *c, json_t *obj, const char *in, void *base);

/* --- messages and paths --- */

static int __rte_format_printf(2, 3) fail(struct ctx *c, const char *fmt, ...)
{
	char reason[DSA_ERR_LEN];
	va_list ap;

	if (c->err == NULL || c->errlen == 0)
		return -EINVAL;
	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	snprintf(c->err, c->errlen, "%s: %s: %s%s", c->file, c->plen ? c->path : "(top level)",
	        reason, c->suffix ? c->suffix : "");
	/* One line, whatever the keys and values held. */
	for (char *p = c->err; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	return -EINVAL;
}

static int
fail_syntax(struct ctx *c, const json_error_t *je)
{
	if (c->err != NULL && c->errlen > 0) {
		snprintf(c->err, c->errlen, "%s: line %d column %d: %s%s", c->file, je->line,
		        je->column, je->text, c->suffix ? c->suffix : "");
		for (char *p = c->err; *p != '\0'; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				*p = '?';
	}
	return -EINVAL;
}

static size_t
path_key(struct ctx *c, const char *key)
{
	size_t old = c->plen;
	int n = snprintf(c->path + old, sizeof(c->path) - old, "%s%s", old ? "." : "", key);

	c->plen = RTE_MIN(old + (size_t)RTE_MAX(n, 0), sizeof(c->path) - 1);
	return old;
}

static size_t
path_index(struct ctx *c, size_t i)
{
	size_t old = c->plen;
	int n = snprintf(c->path + old, sizeof(c->path) - old, "[%zu]", i);

	c->plen = RTE_MIN(old + (size_t)RTE_MAX(n, 0), sizeof(c->path) - 1);
	return old;
}

static void
path_pop(struct ctx *c, size_t old)
{
	c->plen = old;
	c->path[old] = '\0';
}

static void __rte_format_printf(2, 3) path_set(struct ctx *c, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(c->path, sizeof(c->path), fmt, ap);
	va_end(ap);
	c->plen = RTE_MIN((size_t)RTE_MAX(n, 0), sizeof(c->path) - 1);
}

static const char *
json_type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "an array";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
		return "an integer";
	case JSON_REAL:
		return "a real number";
	case JSON_TRUE:
	case JSON_FALSE:
		return "a boolean";
	case JSON_NULL:
	default:
		return "null";
	}
}

static int
fail_type(struct ctx *c, const char *expected, const json_t *v)
{
	return fail(c, "expected %s, got %s", expected, json_type_name(v));
}

static const char *
af_noun(uint8_t af)
{
	return af == AF_INET    ? "an IPv4 address"
	       : af == AF_INET6 ? "an IPv6 address"
	                        : "an IP address";
}

static const struct name_val *
name_lookup(const struct name_val *nv, const char *s)
{
	for (; nv->name != NULL; nv++)
		if (strcmp(nv->name, s) == 0)
			return nv;
	return NULL;
}

static const char *
name_of(const struct name_val *nv, uint64_t val)
{
	for (; nv->name != NULL; nv++)
		if (nv->val == val)
			return nv->name;
	return "?";
}

/* "a, b, c" */
static const char *
name_list(const struct name_val *nv, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (; nv->name != NULL && n < len; nv++)
		n += snprintf(buf + n, len - n, "%s%s", n ? ", " : "", nv->name);
	return buf;
}

static void
store_uint(void *dst, size_t size, uint64_t v)
{
	uint8_t u8 = v;
	uint16_t u16 = v;
	uint32_t u32 = v;

	switch (size) {
	case 1:
		memcpy(dst, &u8, 1);
		break;
	case 2:
		memcpy(dst, &u16, 2);
		break;
	case 4:
		memcpy(dst, &u32, 4);
		break;
	default:
		memcpy(dst, &v, 8);
		break;
	}
}

/* --- address helpers --- */

/* Split "addr[/len]" into an address of family af and a length; *has_len
 * tells whether a length was given. Host bits are not checked. */
static int
split_prefix(const char *s, uint8_t af, struct dsa_addr *a, unsigned int *len, bool *has_len)
{
	char buf[DSA_ADDR_STRLEN + 1];
	const char *slash = strchr(s, '/');
	size_t alen = slash ? (size_t)(slash - s) : strlen(s);
	unsigned int max;
	char *end;
	unsigned long l;

	if (alen >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, alen);
	buf[alen] = '\0';
	if (dsa_addr_parse(buf, a) < 0 || (af != 0 && a->af != af))
		return -EINVAL;
	max = a->af == AF_INET ? 32 : 128;
	*has_len = slash != NULL;
	*len = max;
	if (slash == NULL)
		return 0;
	if (slash[1] < '0' || slash[1] > '9' || strlen(slash + 1) > 3)
		return -ERANGE;
	l = strtoul(slash + 1, &end, 10);
	if (*end != '\0' || l > max)
		return -ERANGE;
	*len = l;
	return 0;
}

static const char *
family_name(uint8_t af)
{
	return af == AF_INET ? "IPv4" : af == AF_INET6 ? "IPv6" : "IP";
}

static int
parse_ifaddr(struct ctx *c, const struct key *k, const char *s, struct dsa_prefix *p)
{
	unsigned int len;
	bool has_len;
	int rc;

	memset(p, 0, sizeof(*p));
	rc = split_prefix(s, k->af, &p->addr, &len, &has_len);
	if (rc == -ERANGE)
		return fail(c, "\"%s\": the prefix length must be 0..%u", s,
		        k->af == AF_INET ? 32 : 128);
	if (rc < 0)
		return fail(c, "\"%s\" is not %s", s, af_noun(k->af));
	if (!has_len)
		return fail(
		        c, "\"%s\" has no prefix length (expected %s/len)", s, family_name(k->af));
	p->len = len;
	return 0;
}

static int
parse_prefix(struct ctx *c, const struct key *k, const char *s, struct dsa_prefix *p)
{
	unsigned int len;
	bool has_len;
	int rc;

	rc = split_prefix(s, k->af, &p->addr, &len, &has_len);
	if (rc == -ERANGE)
		return fail(c, "\"%s\": bad prefix length", s);
	if (rc < 0)
		return fail(c, "\"%s\" is not %s prefix", s,
		        k->af == AF_INET    ? "an IPv4"
		        : k->af == AF_INET6 ? "an IPv6"
		                            : "an IP");
	if (dsa_prefix_parse(s, p) < 0)
		return fail(c, "\"%s\" has bits set beyond the prefix length", s);
	if (p->len < k->min || p->len > k->max) {
		if (k->min == k->max)
			return fail(c, "\"%s\" must be a /%lld", s, k->min);
		return fail(c, "\"%s\": the prefix length must be %lld..%lld", s, k->min, k->max);
	}
	return 0;
}

/* --- one value --- */

static int
parse_value(struct ctx *c, const struct key *k, json_t *v, void *base)
{
	char *dst = (char *)base + k->off;
	char list[256];
	const struct name_val *nv;
	const char *s = NULL;
	json_int_t x;
	int rc;

	switch (k->kind) {
	case K_OBJ:
		return parse_object(c, v, k->sub, base);
	case K_FN:
		return k->fn(c, k, v, base);
	case K_INT:
		if (!json_is_integer(v))
			return fail_type(c, "an integer", v);
		x = json_integer_value(v);
		if (x < k->min || x > k->max)
			return fail(c, "%" JSON_INTEGER_FORMAT " is out of range %lld..%lld", x,
			        k->min, k->max);
		store_uint(dst, k->size, (uint64_t)x);
		break;
	case K_BOOL:
		if (!json_is_boolean(v))
			return fail_type(c, "true or false", v);
		*(bool *)dst = json_is_true(v);
		break;
	case K_FLAGS: {
		uint64_t bits = 0, seen = 0;
		size_t i;
		json_t *e;

		if (!json_is_array(v))
			return fail_type(c, "an array of strings", v);
		json_array_foreach(v, i, e)
		{
			size_t old = path_index(c, i);

			if (!json_is_string(e))
				return fail_type(c, "a string", e);
			s = json_string_value(e);
			nv = name_lookup(k->names, s);
			if (nv == NULL)
				return fail(c, "unknown %s \"%s\"", k->noun, s);
			if (seen & RTE_BIT64(nv - k->names))
				return fail(c, "\"%s\" is listed twice", s);
			seen |= RTE_BIT64(nv - k->names);
			bits |= nv->val;
			path_pop(c, old);
		}
		memcpy(dst, &bits, sizeof(bits));
		break;
	}
	default:
		/* The rest are strings. */
		if (!json_is_string(v))
			return fail_type(c, "a string", v);
		s = json_string_value(v);
		break;
	}

	switch (k->kind) {
	case K_STR: {
		size_t len = json_string_length(v);

		if (len < (size_t)k->min)
			return fail(c, "must not be empty");
		if (k->size == 0)
			break;
		if (len >= k->size || strlen(s) != len)
			return fail(c, "\"%.40s\" is too long (at most %zu characters)", s,
			        k->size - 1);
		memcpy(dst, s, len + 1);
		break;
	}
	case K_ENUM:
		nv = name_lookup(k->names, s);
		if (nv == NULL)
			return fail(c, "\"%s\" is not one of %s", s,
			        name_list(k->names, list, sizeof(list)));
		store_uint(dst, k->size, nv->val);
		break;
	case K_ADDR: {
		struct dsa_addr a;

		if (dsa_addr_parse(s, &a) < 0 || (k->af != 0 && a.af != k->af))
			return fail(c, "\"%s\" is not %s", s, af_noun(k->af));
		if (k->size == sizeof(a.v4))
			memcpy(dst, &a.v4, sizeof(a.v4));
		else
			memcpy(dst, &a, sizeof(a));
		break;
	}
	case K_IFADDR:
	case K_PREFIX: {
		struct dsa_prefix p;

		memset(&p, 0, sizeof(p));
		rc = k->kind == K_IFADDR ? parse_ifaddr(c, k, s, &p) : parse_prefix(c, k, s, &p);
		if (rc < 0)
			return rc;
		memcpy(dst, &p, sizeof(p));
		break;
	}
	case K_MAC: {
		struct rte_ether_addr mac;

		if (dsa_mac_parse(s, &mac) < 0)
			return fail(c, "\"%s\" is not a MAC address", s);
		if (!rte_is_valid_assigned_ether_addr(&mac))
			return fail(c, "\"%s\" is not a unicast MAC address", s);
		memcpy(dst, &mac, sizeof(mac));
		break;
	}
	case K_PORT: {
		const struct dsa_config *cfg = c->cfg;
		int i;

		for (i = 0; i < (int)cfg->n_ports; i++)
			if (strcmp(cfg->ports[i].name, s) == 0)
				break;
		if (i == (int)cfg->n_ports)
			return fail(c, "no port named \"%s\"", s);
		memcpy(dst, &i, sizeof(i));
		break;
	}
	default:
		break;
	}
	if (k->has)
		store_uint((char *)base + k->has_off, k->has_size, 1);
	return 0;
}

/* --- objects --- */

static const struct key *
key_find(const char *in, const char *name)
{
	for (size_t i = 0; i < RTE_DIM(keys); i++)
		if (strcmp(keys[i].in, in) == 0 && strcmp(keys[i].name, name) == 0)
			return &keys[i];
	return NULL;
}

/* Parse obj, whose keys are those with .in == in, into base. Keys go in table
 * order; absent ones get their default. */
static int
parse_object(struct ctx *c, json_t *obj, const char *in, void *base)
{
	const char *name;
	json_t *v;
	size_t old;
	int rc;

	if (!json_is_object(obj))
		return fail_type(c, "an object", obj);
	json_object_foreach(obj, name, v)
	{
		char known[256];
		size_t n = 0;

		if (key_find(in, name) != NULL)
			continue;
		known[0] = '\0';
		for (size_t i = 0; i < RTE_DIM(keys) && n < sizeof(known); i++)
			if (strcmp(keys[i].in, in) == 0)
				n += snprintf(known + n, sizeof(known) - n, "%s%s", n ? ", " : "",
				        keys[i].name);
		path_key(c, name);
		return fail(c, "unknown key (known: %s)", known);
	}

	for (size_t i = 0; i < RTE_DIM(keys); i++) {
		const struct key *k = &keys[i];

		if (strcmp(k->in, in) != 0)
			continue;
		v = json_object_get(obj, k->name);
		old = path_key(c, k->name);
		if (v != NULL) {
			rc = parse_value(c, k, v, base);
		} else if (k->required) {
			rc = fail(c, "required key is missing");
		} else if (k->kind == K_OBJ) {
			/* An absent section still gets its keys' defaults. */
			json_t *empty = json_object();

			rc = empty ? parse_value(c, k, empty, base) : -ENOMEM;
			json_decref(empty);
		} else if (k->def != NULL) {
			json_t *d = json_loads(k->def, JSON_DECODE_ANY, NULL);

			rc = d ? parse_value(c, k, d, base) : fail(c, "bad built-in default");
			json_decref(d);
			/* A default is not "present". */
			if (rc == 0 && k->has)
				store_uint((char *)base + k->has_off, k->has_size, 0);
		} else {
			rc = 0;
		}
		if (rc < 0)
			return rc;
		path_pop(c, old);
	}
	return 0;
}

/* v must be an array of min..max entries. */
static int
check_array(struct ctx *c, json_t *v, size_t min, size_t max)
{
	size_t n;

	if (!json_is_array(v))
		return fail_type(c, "an array", v);
	n = json_array_size(v);
	if (n < min || n > max)
		return fail(c, "must have %zu..%zu entries, has %zu", min, max, n);
	return 0;
}

/* --- custom keys --- */

static int
parse_eal(struct ctx *c, const struct key *k, json_t *v, void *base)
{
	struct dsa_config *cfg = base;
	char **argv;
	size_t i, n;
	json_t *e;
	int rc;

	RTE_SET_USED(k);
	rc = check_array(c, v, 0, 1024);
	if (rc < 0)
		return rc;
	json_array_foreach(v, i, e)
	{
		if (!json_is_string(e)) {
			path_index(c, i);
			return fail_type(c, "a string", e);
		}
	}
	n = json_array_size(v);
	argv = calloc(n + 1, sizeof(*argv));
	if (argv == NULL) {
		fail(c, "out of memory");
		return -ENOMEM;
	}
	json_array_foreach(v, i, e)
	{
		argv[i] = strdup(json_string_value(e));
		if (argv[i] == NULL) {
			while (i-- > 0)
				free(argv[i]);
			free(argv);
			fail(c, "out of memory");
			return -ENOMEM;
		}
	}
	cfg->eal_argv = argv;
	cfg->eal_argc = n;
	return 0;
}

static int
parse_pipelines(struct ctx *c, const struct key *k, json_t *v, void *base)
{
	struct dsa_config *cfg = base;
	size_t i, j;
	json_t *e;
	int rc;

	RTE_SET_USED(k);
	if (json_is_integer(v)) {
		json_int_t x = json_integer_value(v);

		if (x < 1 || x > DSA_MAX_PIPELINES)
			return fail(c, "%" JSON_INTEGER_FORMAT " is out of range 1..%d", x,
			        DSA_MAX_PIPELINES);
		cfg->lcores.n_pipelines = x;
		for (i = 0; i < DSA_MAX_PIPELINES; i++)
			cfg->lcores.pipelines[i] = -1;
		return 0;
	}
	if (!json_is_array(v))
		return fail_type(c, "an array of lcore ids or a pipeline count", v);
	rc = check_array(c, v, 1, DSA_MAX_PIPELINES);
	if (rc < 0)
		return rc;
	json_array_foreach(v, i, e)
	{
		size_t old = path_index(c, i);
		json_int_t x;

		if (!json_is_integer(e))
			return fail_type(c, "an lcore id", e);
		x = json_integer_value(e);
		if (x < 0 || x >= RTE_MAX_LCORE)
			return fail(c, "%" JSON_INTEGER_FORMAT " is out of range 0..%d", x,
			        RTE_MAX_LCORE - 1);
		if (x == cfg->lcores.control)
			return fail(c, "lcore %d is the control lcore", (int)x);
		for (j = 0; j < i; j++)
			if (cfg->lcores.pipelines[j] == x)
				return fail(c, "lcore %d is listed twice", (int)x);
		cfg->lcores.pipelines[i] = x;
		path_pop(c, old);
	}
	cfg->lcores.n_pipelines = json_array_size(v);
	for (i = cfg->lcores.n_pipelines; i < DSA_MAX_PIPELINES; i++)
		cfg->lcores.pipelines[i] = -1;
	return 0;
}

static int
parse_local(struct ctx *c, const struct key *k, json_t *v, void *base)
{
	struct dsa_config *cfg = base;
	char buf[DSA_ADDR_STRLEN];
	size_t i, j, old;
	json_t *e;
	int rc;

	RTE_SET_USED(k);
	rc = check_array(c, v, 0, DSA_MAX_LOCAL_ADDRS);
	if (rc < 0)
		return rc;
	json_array_foreach(v, i, e)
	{
		struct dsa_addr *a = &cfg->local[i];

		old = path_index(c, i);
		if (!json_is_string(e))
			return fail_type(c, "a string", e);
		if (dsa_addr_parse(json_string_value(e), a) < 0)
			return fail(c, "\"%s\" is not an IP address", json_string_value(e));
		for (j = 0; j < i; j++)
			if (dsa_addr_eq(&cfg->local[j], a))
				return fail(
				        c, "%s is listed twice", dsa_addr_fmt(a, buf, sizeof(buf)));
		cfg->n_local = i + 1;
		path_pop(c, old);
	}
	return 0;
}

static bool
profile_name_ok(const char *s)
{
	if (s[0] == '\0' || s[0] == '.' || strlen(s) >= DSA_NAME_LEN)
		return false;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		            (*s >= '0' && *s <= '9') || *s == '_' || *s == '-' || *s == '.'))
			return false;
	return true;
}

static int
parse_profile(struct ctx *c, const struct key *k, json_t *v, void *base)
{
	struct dsa_port_cfg *port = base;
	struct dsa_port_profile *prof = &port->profile;
	char file[PATH_MAX], suffix[sizeof(c->path) + 4];
	struct ctx sub;
	json_error_t je;
	const char *name;
	json_t *root;
	FILE *f;
	int rc;

	RTE_SET_USED(k);
	if (!json_is_string(v))
		return fail_type(c, "a string", v);
	name = json_string_value(v);
	if (!profile_name_ok(name))
		return fail(c, "\"%s\" is not a profile name (letters, digits, _ - .)", name);
	if ((size_t)snprintf(file, sizeof(file), "%s/%s.json", c->profiles_dir, name) >=
	        sizeof(file))
		return fail(c, "profiles directory name too long");
	f = fopen(file, "r");
	if (f == NULL) {
		if (errno == ENOENT)
			return fail(c, "no profile \"%s\" in %s", name, c->profiles_dir);
		return fail(c, "cannot read %s: %s", file, strerror(errno));
	}
	root = json_loadf(f, JSON_FLAGS, &je);
	fclose(f);

	/* Messages about the profile name its file, and the port that uses it. */
	snprintf(suffix, sizeof(suffix), " (%s)", c->path);
	sub = (struct ctx){
		.file = file,
		.suffix = suffix,
		.err = c->err,
		.errlen = c->errlen,
		.cfg = c->cfg,
		.profiles_dir = c->profiles_dir,
	};
	if (root == NULL)
		return fail_syntax(&sub, &je);
	memset(prof, 0, sizeof(*prof));
	rc = parse_object(&sub, root, PROFILE, prof);
	if (rc == 0 && prof->rss && json_object_get(root, "rss_hf") == NULL)
		prof->rss_hf = RSS_DEFAULT;
	json_decref(root);
	if (rc < 0)
		return rc;
	snprintf(prof->name, sizeof(prof->name), "%s", name);
	return 0;
}

/* --- duplicate detection over lists that may be long --- */

/* Entries of (index, key) sorted by key then index: the first entry whose key
 * equals its predecessor's and is second in its run is a duplicate. */
struct dupset {
	uint8_t *buf;
	size_t ksize;
	unsigned int n;
};

static int
dup_cmp(const void *a, const void *b, void *arg)
{
	size_t ksize = *(const size_t *)arg;
	uint32_t ia, ib;
	int r = memcmp((const uint8_t *)a + 4, (const uint8_t *)b + 4, ksize);

	if (r != 0)
		return r;
	memcpy(&ia, a, 4);
	memcpy(&ib, b, 4);
	return ia < ib ? -1 : ia > ib;
}

static int
dup_init(struct dupset *d, unsigned int cap, size_t ksize)
{
	d->ksize = ksize;
	d->n = 0;
	d->buf = malloc((size_t)RTE_MAX(cap, 1u) * (4 + ksize));
	return d->buf ? 0 : -ENOMEM;
}

static void
dup_add(struct dupset *d, uint32_t idx, const void *key)
{
	uint8_t *e = d->buf + (size_t)d->n++ * (4 + d->ksize);

	memcpy(e, &idx, 4);
	memcpy(e + 4, key, d->ksize);
}

/* The lowest index that repeats an earlier key, and that earlier index; false
 * when all keys differ. Frees the set. */
static bool
dup_find(struct dupset *d, unsigned int *later, unsigned int *first)
{
	size_t stride = 4 + d->ksize, start = 0;
	bool found = false;

	qsort_r(d->buf, d->n, stride, dup_cmp, &d->ksize);
	for (size_t i = 1; i < d->n; i++) {
		const uint8_t *a = d->buf + (i - 1) * stride, *b = d->buf + i * stride;
		uint32_t ia, ib;

		if (memcmp(a + 4, b + 4, d->ksize) != 0) {
			start = i;
			continue;
		}
		if (i != start + 1)
			continue;
		memcpy(&ia, a, 4);
		memcpy(&ib, b, 4);
		if (!found || ib < *later) {
			*later = ib;
			*first = ia;
			found = true;
		}
	}
	free(d->buf);
	d->buf = NULL;
	return found;
}

/* --- routes, neighbors, bindings --- */

/* Parse the array v of objects with keys .in == in into n elements of size
 * esize, allocated into *arr. */
static int
parse_list(struct ctx *c, json_t *v, const char *in, size_t esize, void **arr, unsigned int *n,
        int (*check)(struct ctx *c, json_t *obj, void *elem))
{
	size_t i, old;
	json_t *e;
	int rc;

	rc = check_array(c, v, 0, UINT32_MAX);
	if (rc < 0)
		return rc;
	if (json_array_size(v) == 0)
		return 0;
	*arr = calloc(json_array_size(v), esize);
	if (*arr == NULL) {
		fail(c, "out of memory");
		return -ENOMEM;
	}
	json_array_foreach(v, i, e)
	{
		void *el = (char *)*arr + i * esize;

		old = path_index(c, i);
		rc = parse_object(c, e, in, el);
		if (rc == 0 && check != NULL)
			rc = check(c, e, el);
		if (rc < 0)
			return rc;
		*n = i + 1;
		path_pop(c, old);
	}
	return 0;
}

static int
check_route(struct ctx *c, json_t *obj, void *elem)
{
	static const char *const via_only[] = { "port", "via" };
	struct dsa_route_cfg *r = elem;
	char buf[DSA_ADDR_STRLEN];

	if (r->type == DSA_ROUTE_VIA) {
		if (json_object_get(obj, "port") == NULL) {
			path_key(c, "port");
			return fail(c, "required for type \"via\"");
		}
		if (r->via.af != 0 && r->via.af != r->prefix.addr.af) {
			path_key(c, "via");
			return fail(c, "%s is not %s, as the prefix is",
			        dsa_addr_fmt(&r->via, buf, sizeof(buf)),
			        af_noun(r->prefix.addr.af));
		}
		return 0;
	}
	for (size_t i = 0; i < RTE_DIM(via_only); i++) {
		if (json_object_get(obj, via_only[i]) != NULL) {
			path_key(c, via_only[i]);
			return fail(
			        c, "not allowed with type \"%s\"", name_of(route_types, r->type));
		}
	}
	r->port = -1;
	return 0;
}

static int
parse_routes(struct ctx *c, const struct key *k, json_t *v, void *base)
{
	struct dsa_config *cfg = base;
	char buf[DSA_PREFIX_STRLEN];
	unsigned int later, first;
	struct dupset d;
	uint8_t key[18];
	int rc;

	RTE_SET_USED(k);
	rc = parse_list(c, v, "routes[]", sizeof(*cfg->routes), (void **)&cfg->routes,
	        &cfg->n_routes, check_route);
	if (rc < 0)
		return rc;
	if (dup_init(&d, cfg->n_routes, sizeof(key)) < 0) {
		fail(c, "out of memory");
		return -ENOMEM;
	}
	for (unsigned int i = 0; i < cfg->n_routes; i++) {
		const struct dsa_prefix *p = &cfg->routes[i].prefix;

		memset(key, 0, sizeof(key));
		key[0] = p->addr.af;
		key[1] = p->len;
		memcpy(key + 2, p->addr.af == AF_INET ? (const void *)&p->addr.v4 : p->addr.v6,
		        p->addr.af == AF_INET ? 4 : 16);
		dup_add(&d, i, key);
	}
	if (dup_find(&d, &later, &first)) {
		path_set(c, "routes[%u].prefix", later);
		return fail(c, "%s is already routed by routes[%u]",
		        dsa_prefix_fmt(&cfg->routes[later].prefix, buf, sizeof(buf)), first);
	}
	return 0;
}

static int
parse_neighbors(struct ctx *c, const struct key *k, json_t *v, void *base)
{
	struct dsa_config *cfg = base;
	char buf[DSA_ADDR_STRLEN];
	unsigned int later, first;
	struct dupset d;
	uint8_t key[18];
	int rc;

	RTE_SET_USED(k);
	rc = parse_list(c, v, "neighbors[]", sizeof(*cfg->neighbors), (void **)&cfg->neighbors,
	        &cfg->n_neighbors, NULL);
	if (rc < 0)
		return rc;
	if (dup_init(&d, cfg->n_neighbors, sizeof(key)) < 0) {
		fail(c, "out of memory");
		return -ENOMEM;
	}
	for (unsigned int i = 0; i < cfg->n_neighbors; i++) {
		const struct dsa_neigh_cfg *n = &cfg->neighbors[i];

		memset(key, 0, sizeof(key));
		key[0] = n->port;
		key[1] = n->ip.af;
		memcpy(key + 2, n->ip.af == AF_INET ? (const void *)&n->ip.v4 : n->ip.v6,
		        n->ip.af == AF_INET ? 4 : 16);
		dup_add(&d, i, key);
	}
	if (dup_find(&d, &later, &first)) {
		const struct dsa_neigh_cfg *n = &cfg->neighbors[later];

		path_set(c, "neighbors[%u].ip", later);
		return fail(c, "%s on port \"%s\" is already defined by neighbors[%u]",
		        dsa_addr_fmt(&n->ip, buf, sizeof(buf)), cfg->ports[n->port].name, first);
	}
	return 0;
}

static int
check_binding(struct ctx *c, json_t *obj, void *elem)
{
	const struct dsa_binding_cfg *b = elem;

	RTE_SET_USED(obj);
	if (!b->has_hoa4 && !b->has_hnp && !b->has_hoa6)
		return fail(c, "needs at least one of hoa4, hnp, hoa6");
	return 0;
}

/*
 * Keys that must be unique across a list's items (MN-IDs, home addresses):
 * key() gives item i's key for field f (NULL when it has none) and, with a
 * buffer, its text for the message. Of all fields, the repeat that comes
 * first in the list is reported, at the later item, naming the earlier one.
 * verb[f] says how an earlier item holds it ("used", "bound"); count[f]
 * (optional) gets how many items have field f.
 */
typedef const void *(*uniq_key_fn)(const void *item, int f, char *buf, size_t len);

static int
reject_repeats(struct ctx *c, const char *list, const void *items, size_t item_size, unsigned int n,
        int n_fields, const char *const *field, const size_t *ksize, uniq_key_fn key,
        const char *const *verb, unsigned int *count)
{
	unsigned int later = 0, first = 0;
	char buf[DSA_DEVARGS_LEN + 3]; /* the longest key, quoted */
	int worst = -1;

	for (int f = 0; f < n_fields; f++) {
		unsigned int l, e;
		struct dupset d;

		if (dup_init(&d, n, ksize[f]) < 0) {
			fail(c, "out of memory");
			return -ENOMEM;
		}
		for (unsigned int i = 0; i < n; i++) {
			const void *kp = key((const uint8_t *)items + i * item_size, f, NULL, 0);

			if (kp != NULL)
				dup_add(&d, i, kp);
		}
		if (count != NULL)
			count[f] = d.n;
		if (dup_find(&d, &l, &e) && (worst < 0 || l < later)) {
			worst = f;
			later = l;
			first = e;
		}
	}
	if (worst < 0)
		return 0;
	key((const uint8_t *)items + later * item_size, worst, buf, sizeof(buf));
	path_set(c, "%s[%u].%s", list, later, field[worst]);
	return fail(c, "%s is already %s by %s[%u]", buf, verb[worst], list, first);
}

static const char *const used2[2] = { "used", "used" };

/* Ports: name and device are unique. */
static const char *const port_fields[2] = { "name", "device" };
static const size_t port_ksize[2] = { DSA_NAME_LEN, DSA_DEVARGS_LEN };

static const void *
port_key(const void *item, int f, char *buf, size_t len)
{
	const struct dsa_port_cfg *p = item;
	const char *key = f == 0 ? p->name : p->device;

	if (buf != NULL)
		snprintf(buf, len, "\"%s\"", key);
	return key;
}

/* Peers: name and address are unique. */
static const char *const peer_fields[2] = { "name", "address" };
static const size_t peer_ksize[2] = { DSA_NAME_LEN, sizeof(struct dsa_addr) };

static const void *
peer_key(const void *item, int f, char *buf, size_t len)
{
	const struct dsa_peer_cfg *p = item;

	if (f == 0) {
		if (buf != NULL)
			snprintf(buf, len, "\"%s\"", p->name);
		return p->name;
	}
	if (buf != NULL)
		dsa_addr_fmt(&p->addr, buf, len);
	return &p->addr;
}

/*
 * An array of objects (min..max of them) parsed with the table's "sub[]"
 * keys into a fixed array of item_size entries; *n counts the ones parsed.
 */
static int
parse_fixed_list(struct ctx *c, json_t *v, unsigned int min, unsigned int max, const char *sub,
        void *items, size_t item_size, unsigned int *n)
{
	size_t i, old;
	json_t *e;
	int rc;

	rc = check_array(c, v, min, max);
	if (rc < 0)
		return rc;
	json_array_foreach(v, i, e)
	{
		old = path_index(c, i);
		rc = parse_object(c, e, sub, (uint8_t *)items + i * item_size);
		if (rc < 0)
			return rc;
		*n = i + 1;
		path_pop(c, old);
	}
	return 0;
}

static int
parse_ports(struct ctx *c, const struct key *k, json_t *v, void *base)
{
	struct dsa_config *cfg = base;
	int rc;

	RTE_SET_USED(k);
	rc = parse_fixed_list(c, v, 1, DSA_MAX_PORTS, "ports[]", cfg->ports, sizeof(cfg->ports[0]),
	        &cfg->n_ports);
	if (rc < 0)
		return rc;
	for (unsigned int i = 0; i < cfg->n_ports; i++) {
		struct dsa_port_cfg *p = &cfg->ports[i];

		if (p->mtu == 0)
			p->mtu = p->profile.mtu ? p->profile.mtu : RTE_ETHER_MTU;
	}
	return reject_repeats(c, "ports", cfg->ports, sizeof(cfg->ports[0]), cfg->n_ports, 2,
	        port_fields, port_ksize, port_key, used2, NULL);
}

enum bind_field { BF_MN_ID, BF_HOA4, BF_HNP, BF_HOA6, BF_MAX };

static const void *
binding_key(const void *item, int f, char *buf, size_t len)
{
	const struct dsa_binding_cfg *b = item;
	struct dsa_addr a;

	switch (f) {
	case BF_MN_ID:
		if (buf != NULL)
			snprintf(buf, len, "\"%s\"", b->mn_id);
		return b->mn_id[0] != '\0' ? b->mn_id : NULL;
	case BF_HOA4:
		if (buf != NULL) {
			dsa_addr_v4(&a, b->hoa4);
			dsa_addr_fmt(&a, buf, len);
		}
		return b->has_hoa4 ? &b->hoa4 : NULL;
	case BF_HNP:
		if (buf != NULL)
			dsa_prefix_fmt(&b->hnp, buf, len);
		return b->has_hnp ? b->hnp.addr.v6 : NULL;
	default:
		if (buf != NULL)
			dsa_addr_fmt(&b->hoa6, buf, len);
		return b->has_hoa6 ? b->hoa6.v6 : NULL;
	}
}

static int
parse_bindings(struct ctx *c, const struct key *k, json_t *v, void *base)
{
	static const char *const field[BF_MAX] = { "mn_id", "hoa4", "hnp", "hoa6" };
	static const size_t ksize[BF_MAX] = { DSA_MNID_LEN, 4, 8, 16 };
	static const char *const verb[BF_MAX] = { "used", "bound", "bound", "bound" };
	struct dsa_config *cfg = base;
	unsigned int count[BF_MAX] = { 0 };
	int rc;

	RTE_SET_USED(k);
	rc = parse_list(c, v, "bindings[]", sizeof(*cfg->bindings), (void **)&cfg->bindings,
	        &cfg->n_bindings, check_binding);
	if (rc < 0)
		return rc;
	rc = reject_repeats(c, "bindings", cfg->bindings, sizeof(*cfg->bindings), cfg->n_bindings,
	        BF_MAX, field, ksize, binding_key, verb, count);
	if (rc < 0)
		return rc;

	if (count[BF_HOA4] > cfg->tables.ipv4)
		return fail(c, "%u IPv4 home addresses do not fit tables.ipv4 (%u)", count[BF_HOA4],
		        cfg->tables.ipv4);
	if (count[BF_HNP] > cfg->tables.ipv6_prefix)
		return fail(c, "%u home network prefixes do not fit tables.ipv6_prefix (%u)",
		        count[BF_HNP], cfg->tables.ipv6_prefix);
	if (count[BF_HOA6] > cfg->tables.ipv6_host)
		return fail(c, "%u IPv6 home addresses do not fit tables.ipv6_host (%u)",
		        count[BF_HOA6], cfg->tables.ipv6_host);
	return 0;
}

/* --- peers and MN profiles --- */

static int
parse_peers(struct ctx *c, const struct key *k, json_t *v, void *base)
{
	struct dsa_config *cfg = base;
	int rc;

	RTE_SET_USED(k);
	rc = parse_fixed_list(c, v, 0, DSA_MAX_PEERS, "peers[]", cfg->peers, sizeof(cfg->peers[0]),
	        &cfg->n_peers);
	if (rc < 0)
		return rc;
	return reject_repeats(c, "peers", cfg->peers, sizeof(cfg->peers[0]), cfg->n_peers, 2,
	        peer_fields, peer_ksize, peer_key, used2, NULL);
}

/* "a.b.c.d" or "a.b.c.d/len", len 8..32; host bits allowed. */
static int
parse_hoa4(struct ctx *c, const struct key *k, json_t *v, void *base)
{
	struct dsa_profile_cfg *p = base;
	struct dsa_addr a;
	unsigned int len;
	const char *s;
	bool has_len;
	int rc;

	RTE_SET_USED(k);
	if (!json_is_string(v))
		return fail_type(c, "a string", v);
	s = json_string_value(v);
	rc = split_prefix(s, AF_INET, &a, &len, &has_len);
	if (rc == -ERANGE || (rc == 0 && len < 8))
		return fail(c, "\"%s\": the prefix length must be 8..32", s);
	if (rc < 0)
		return fail(c, "\"%s\" is not %s", s, af_noun(AF_INET));
	p->hoa4 = a.v4;
	p->hoa4_plen = len;
	p->has_hoa4 = true;
	return 0;
}

/* Access technology types, bit n of att_mask for ATT n. */
static int
parse_att(struct ctx *c, const struct key *k, json_t *v, void *base)
{
	struct dsa_profile_cfg *p = base;
	uint32_t mask = 0;
	size_t i, old;
	json_t *e;
	int rc;

	RTE_SET_USED(k);
	rc = check_array(c, v, 0, 32);
	if (rc < 0)
		return rc;
	json_array_foreach(v, i, e)
	{
		json_int_t x;

		old = path_index(c, i);
		if (!json_is_integer(e))
			return fail_type(c, "an integer", e);
		x = json_integer_value(e);
		if (x < 0 || x > 31)
			return fail(c, "%" JSON_INTEGER_FORMAT " is out of range 0..31", x);
		if (mask & RTE_BIT32(x))
			return fail(c, "%d is listed twice", (int)x);
		mask |= RTE_BIT32(x);
		path_pop(c, old);
	}
	p->att_mask = mask;
	return 0;
}

/* Names of entries of "peers", stored as their indices. */
static int
parse_mags(struct ctx *c, const struct key *k, json_t *v, void *base)
{
	const struct dsa_config *cfg = c->cfg;
	struct dsa_profile_cfg *p = base;
	size_t i, old;
	json_t *e;
	int rc;

	RTE_SET_USED(k);
	rc = check_array(c, v, 0, DSA_MAX_PROFILE_MAGS);
	if (rc < 0)
		return rc;
	json_array_foreach(v, i, e)
	{
		const char *s;
		int m;

		old = path_index(c, i);
		if (!json_is_string(e))
			return fail_type(c, "a string", e);
		s = json_string_value(e);
		for (m = 0; m < (int)cfg->n_peers; m++)
			if (strcmp(cfg->peers[m].name, s) == 0)
				break;
		if (m == (int)cfg->n_peers)
			return fail(c, "no peer \"%s\"", s);
		for (size_t j = 0; j < i; j++)
			if (p->mags[j] == m)
				return fail(c, "\"%s\" is listed twice", s);
		p->mags[i] = m;
		p->n_mags = i + 1;
		path_pop(c, old);
	}
	return 0;
}

enum mnp_field { MF_MN_ID, MF_HNP, MF_HOA4, MF_MAX };

static const void *
profile_key(const void *item, int f, char *buf, size_t len)
{
	const struct dsa_profile_cfg *p = item;
	struct dsa_addr a;

	switch (f) {
	case MF_MN_ID:
		if (buf != NULL)
			snprintf(buf, len, "\"%s\"", p->mn_id);
		return p->mn_id;
	case MF_HNP:
		if (buf != NULL)
			dsa_prefix_fmt(&p->hnp, buf, len);
		return p->has_hnp ? p->hnp.addr.v6 : NULL;
	default:
		if (buf != NULL) {
			dsa_addr_v4(&a, p->hoa4);
			dsa_addr_fmt(&a, buf, len);
		}
		return p->has_hoa4 ? &p->hoa4 : NULL;
	}
}

static int
parse_mn_profiles(struct ctx *c, const struct key *k, json_t *v, void *base)
{
	static const char *const field[MF_MAX] = { "mn_id", "hnp", "hoa4" };
	static const size_t ksize[MF_MAX] = { DSA_MNID_LEN, 8, 4 };
	static const char *const verb[MF_MAX] = { "used", "used", "used" };
	struct dsa_config *cfg = base;
	int rc;

	RTE_SET_USED(k);
	rc = parse_list(c, v, "profiles[]", sizeof(*cfg->profiles), (void **)&cfg->profiles,
	        &cfg->n_profiles, NULL);
	if (rc < 0)
		return rc;
	return reject_repeats(c, "profiles", cfg->profiles, sizeof(*cfg->profiles), cfg->n_profiles,
	        MF_MAX, field, ksize, profile_key, verb, NULL);
}

/* --- API --- */

static int
load_json(json_t *root, const char *name, const char *profiles_dir, struct dsa_config *cfg,
        char *err, size_t errlen)
{
	struct ctx c = {
		.file = name,
		.err = err,
		.errlen = errlen,
		.cfg = cfg,
		.profiles_dir = profiles_dir ? profiles_dir : DSA_PROFILES_DIR,
	};
	int rc;

	memset(cfg, 0, sizeof(*cfg));
	snprintf(cfg->path, sizeof(cfg->path), "%s", name);
	cfg->lcores.control = -1;
	rc = parse_object(&c, root, "", cfg);
	if (rc < 0) {
		dsa_config_free(cfg);
		return rc;
	}
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	return 0;
}

int
dsa_config_load_string(const char *text, const char *name, const char *profiles_dir,
        struct dsa_config *cfg, char *err, size_t errlen)
{
	struct ctx c = { .file = name ? name : "<embedded>", .err = err, .errlen = errlen };
	json_error_t je;
	json_t *root;
	int rc;

	memset(cfg, 0, sizeof(*cfg));
	if (text == NULL)
		return fail(&c, "no config text");
	root = json_loads(text, JSON_FLAGS, &je);
	if (root == NULL)
		return fail_syntax(&c, &je);
	rc = load_json(root, c.file, profiles_dir, cfg, err, errlen);
	json_decref(root);
	return rc;
}

int
dsa_config_load_file(const char *path, const char *profiles_dir, struct dsa_config *cfg, char *err,
        size_t errlen)
{
	json_error_t je;
	json_t *root;
	FILE *f;
	int rc;

	memset(cfg, 0, sizeof(*cfg));
	f = fopen(path, "r");
	if (f == NULL) {
		if (err != NULL && errlen > 0)
			snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
		return -EINVAL;
	}
	root = json_loadf(f, JSON_FLAGS, &je);
	fclose(f);
	if (root == NULL) {
		struct ctx c = { .file = path, .err = err, .errlen = errlen };

		return fail_syntax(&c, &je);
	}
	rc = load_json(root, path, profiles_dir, cfg, err, errlen);
	json_decref(root);
	return rc;
}

void
dsa_config_free(struct dsa_config *cfg)
{
	if (cfg == NULL)
		return;
	if (cfg->eal_argv != NULL) {
		for (int i = 0; i < cfg->eal_argc; i++)
			free(cfg->eal_argv[i]);
		free(cfg->eal_argv);
	}
	free(cfg->routes);
	free(cfg->neighbors);
	free(cfg->bindings);
	free(cfg->profiles);
	memset(cfg, 0, sizeof(*cfg));
}

/* --- help --- */

static const char *const kind_names[] = {
	[K_OBJ] = "object",
	[K_STR] = "string",
	[K_INT] = "int",
	[K_BOOL] = "bool",
	[K_ENUM] = "string",
	[K_FLAGS] = "[string]",
	[K_ADDR] = "address",
	[K_IFADDR] = "address/len",
	[K_PREFIX] = "prefix",
	[K_MAC] = "MAC",
	[K_PORT] = "port name",
	[K_FN] = "?",
};

static void
help_key(FILE *f, const struct key *k)
{
	char path[64], type[64], list[256];
	const char *def;

	if (strcmp(k->in, PROFILE) == 0 || k->in[0] == '\0')
		snprintf(path, sizeof(path), "%s", k->name);
	else
		snprintf(path, sizeof(path), "%s.%s", k->in, k->name);

	if (k->type != NULL)
		snprintf(type, sizeof(type), "%s", k->type);
	else if (k->kind == K_INT)
		snprintf(type, sizeof(type), "int %lld..%lld", k->min, k->max);
	else if (k->kind == K_ADDR)
		snprintf(type, sizeof(type), "%s address", family_name(k->af));
	else if (k->kind == K_IFADDR)
		snprintf(type, sizeof(type), "%s/len", family_name(k->af));
	else if (k->kind == K_PREFIX && k->min == k->max)
		snprintf(type, sizeof(type), "%s prefix /%lld", family_name(k->af), k->min);
	else
		snprintf(type, sizeof(type), "%s", kind_names[k->kind]);

	def = k->required ? "required" : k->def ? k->def : k->def_doc ? k->def_doc : "";
	/* A key too long for its column gets a line of its own. */
	if (strlen(path) > 22) {
		fprintf(f, "  %s\n", path);
		path[0] = '\0';
	}
	fprintf(f, "  %-22s %-18s %-16s %s", path, type, def, k->help);
	if (k->kind == K_ENUM || k->kind == K_FLAGS)
		fprintf(f, " (%s%s)", k->kind == K_FLAGS ? "any of: " : "",
		        name_list(k->names, list, sizeof(list)));
	fputc('\n', f);
}

void
dsa_config_help(FILE *f)
{
	fprintf(f, "Config file: one JSON object. Unknown keys are errors.\n");
	fprintf(f, "  %-22s %-18s %-16s %s\n", "key", "type", "default", "meaning");
	for (size_t i = 0; i < RTE_DIM(keys); i++)
		if (strcmp(keys[i].in, PROFILE) != 0)
			help_key(f, &keys[i]);
	fprintf(f, "\nPort profile: <profiles_dir>/<profile>.json (default %s), one JSON object.\n",
	        DSA_PROFILES_DIR);
	fprintf(f, "  %-22s %-18s %-16s %s\n", "key", "type", "default", "meaning");
	for (size_t i = 0; i < RTE_DIM(keys); i++)
		if (strcmp(keys[i].in, PROFILE) == 0)
			help_key(f, &keys[i]);
}

const char *
dsa_role_name(enum dsa_role role)
{
	return name_of(roles, role);
}
