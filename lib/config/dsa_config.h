/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef DSA_CONFIG_H
#define DSA_CONFIG_H

/*
 * The appliance's one JSON config file, and the drivers-cfg/ port profiles it
 * references.
 *
 * Loading is all-or-nothing: dsa_config_load*() either fills the whole
 * struct dsa_config and returns 0, or returns -EINVAL with a single message
 * in err of the form "<file>: <json.path>: <reason>", e.g.
 *   config/lma.json: ports[1].ipv6: "2001:db8::zz" is not an IPv6 address
 * and leaves nothing allocated. The grammar is one table in config.c with
 * the help text beside each key (dsa_config_help() prints it).
 *
 * Thread safety: called on the main thread before any lcore starts (and on
 * the control lcore for a reload); never from a pipeline.
 */

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <rte_ether.h>

#include "dsa_net.h"

#define DSA_NAME_LEN        32
#define DSA_MAX_PORTS       8
#define DSA_MAX_PIPELINES   16
#define DSA_MAX_LOCAL_ADDRS 16
#define DSA_MNID_LEN        64
#define DSA_DEVARGS_LEN     512
#define DSA_ERR_LEN         512

enum dsa_role {
	DSA_ROLE_LMA = 0,
	DSA_ROLE_MAG,
	DSA_ROLE_GMAP,
};

enum dsa_idle_mode {
	DSA_IDLE_BUSY = 0, /* default on an appliance */
	DSA_IDLE_ADAPTIVE, /* pause, then sleep after idle.spin_polls empty polls */
};

/* A drivers-cfg/<name>.json profile. */
struct dsa_port_profile {
	char name[DSA_NAME_LEN];
	char driver[DSA_NAME_LEN]; /* "net_pcap", "net_ice", ... informational */
	uint16_t rx_desc;
	uint16_t tx_desc;
	bool rss;                      /* spread RX over the pipelines' queues */
	uint64_t rss_hf;               /* RTE_ETH_RSS_* bits */
	uint64_t rx_offloads;          /* RTE_ETH_RX_OFFLOAD_* bits */
	uint64_t tx_offloads;          /* RTE_ETH_TX_OFFLOAD_* bits */
	uint16_t mtu;                  /* 0: leave the device default */
	uint16_t max_queues;           /* 0: no limit; 1 for devices without multi-queue */
	char devargs[DSA_DEVARGS_LEN]; /* appended to a vdev's own args */
};

struct dsa_port_cfg {
	char name[DSA_NAME_LEN];
	struct dsa_port_profile profile; /* resolved copy of the profile */
	/* PCI address ("0000:03:00.0") or vdev string ("net_pcap0,rx_pcap=a.pcap") */
	char device[DSA_DEVARGS_LEN];
	bool has_mac;
	struct rte_ether_addr mac;
	bool has_ipv4;
	struct dsa_prefix ipv4; /* address and on-link prefix length */
	bool has_ipv6;
	struct dsa_prefix ipv6;
	uint16_t mtu; /* effective: port value, else profile value, else 1500 */
};

enum dsa_route_type {
	DSA_ROUTE_VIA = 0,   /* forward to a gateway (or on-link when via is unset) */
	DSA_ROUTE_HOME,      /* a home network: deliver through bindings only */
	DSA_ROUTE_BLACKHOLE, /* drop silently (counted) */
};

struct dsa_route_cfg {
	struct dsa_prefix prefix;
	enum dsa_route_type type;
	struct dsa_addr via; /* af == 0: destination is on-link */
	int port;            /* index into dsa_config.ports; -1 for home/blackhole */
};

struct dsa_neigh_cfg {
	struct dsa_addr ip;
	struct rte_ether_addr mac;
	int port;
};

struct dsa_binding_cfg {
	char mn_id[DSA_MNID_LEN];
	bool has_hoa4;
	rte_be32_t hoa4;
	bool has_hnp;
	struct dsa_prefix hnp; /* IPv6, len 64 */
	bool has_hoa6;
	struct dsa_addr hoa6; /* IPv6 /128 */
	struct dsa_addr coa;  /* care-of address: its family picks the tunnel */
	bool has_gre_key;
	uint32_t gre_key; /* downlink: the key the MAG asked for (RFC 5845) */
	bool has_gre_key_in;
	uint32_t gre_key_in; /* uplink: ours; when absent, gre_key serves both ways */
};

/* A MAG allowed to send PBUs to this anchor. */
#define DSA_MAX_PEERS 64
enum dsa_dialect {
	DSA_DIALECT_RFC = 0, /* RFC 5213 / RFC 5844 encodings (default) */
	DSA_DIALECT_SEED001, /* seed 001: IPv4-only stations (V flag, HoA sequence) */
};

struct dsa_peer_cfg {
	char name[DSA_NAME_LEN];
	struct dsa_addr addr; /* the MAG's proxy care-of address (either family) */
	enum dsa_dialect dialect;
};

/* Per-MN policy, keyed by MN-ID (RFC 5213 §5.3.1 "policy profile"). */
#define DSA_MAX_PROFILE_MAGS 8
struct dsa_profile_cfg {
	char mn_id[DSA_MNID_LEN];
	bool has_hnp;
	struct dsa_prefix hnp; /* IPv6 /64 home network prefix */
	bool has_hoa4;
	rte_be32_t hoa4;                /* IPv4 home address */
	uint8_t hoa4_plen;              /* its prefix length (default 32) */
	uint32_t att_mask;              /* allowed access technology types, bit n = ATT n; 0: any */
	unsigned int n_mags;            /* 0: any configured peer */
	int mags[DSA_MAX_PROFILE_MAGS]; /* indices into dsa_config.peers */
};

struct dsa_config {
	char path[PATH_MAX]; /* file name, or "<embedded>" */
	enum dsa_role role;

	/* EAL arguments from the config; the command line's come after them. */
	int eal_argc;
	char **eal_argv;

	struct {
		int control; /* lcore id; -1: the main lcore */
		unsigned int n_pipelines;
		int pipelines[DSA_MAX_PIPELINES]; /* lcore ids; -1 entries: pick automatically */
	} lcores;

	struct {
		enum dsa_idle_mode mode;
		uint32_t spin_polls; /* empty polls before sleeping */
		uint32_t sleep_us;   /* sleep length once idle */
	} idle;

	struct {
		uint8_t ttl;        /* outer IPv4 TTL */
		uint8_t hop_limit;  /* outer IPv6 hop limit */
		bool ecn_compat;    /* RFC 6040 compatibility mode (outer Not-ECT) */
		uint32_t icmp_rate; /* ICMP errors per second per pipeline */
		uint32_t icmp_burst;
	} tunnel;

	struct {
		uint32_t src_rate; /* for-us packets per second from one source, per pipeline */
		uint32_t src_burst;
		uint32_t rate; /* all for-us packets per second, per pipeline */
		uint32_t burst;
	} punt;

	struct {
		uint32_t ipv4;        /* /32 HoA table entries */
		uint32_t ipv6_prefix; /* /64 HNP table entries */
		uint32_t ipv6_host;   /* /128 HoA table entries */
	} tables;

	struct {
		uint32_t mbufs;        /* per socket */
		uint32_t frag_entries; /* reassembly flows per pipeline */
		uint32_t frag_timeout_ms;
	} mem;

	unsigned int n_local;
	struct dsa_addr local[DSA_MAX_LOCAL_ADDRS]; /* anchor addresses besides the ports' */

	unsigned int n_ports;
	struct dsa_port_cfg ports[DSA_MAX_PORTS];

	unsigned int n_routes;
	struct dsa_route_cfg *routes;

	unsigned int n_neighbors;
	struct dsa_neigh_cfg *neighbors;

	unsigned int n_bindings;
	struct dsa_binding_cfg *bindings;

	/* Signalling (role lma). */
	struct {
		uint32_t max_lifetime_s;             /* granted lifetime cap (default 3600) */
		uint32_t min_delay_before_delete_ms; /* MinDelayBeforeBCEDelete (10000) */
		uint32_t max_delay_before_assign_ms; /* MaxDelayBeforeNewBCEAssign (1500) */
		uint32_t timestamp_window_ms;        /* TimestampValidityWindow (300) */
		bool seqno_ordering;                 /* order by sequence number, not timestamp */
		uint32_t bri_max_retries;            /* BRIMaxRetries (1), RFC 5846 */
		uint32_t initial_bri_delay_ms;       /* InitialBRIDelay (1000) */
		uint32_t ipv4_default_router_set;    /* 0 unless ipv4_default_router given */
		rte_be32_t ipv4_default_router;      /* returned with an IPv4 HoA (RFC 5844) */
	} lma;

	unsigned int n_peers;
	struct dsa_peer_cfg peers[DSA_MAX_PEERS];

	unsigned int n_profiles;
	struct dsa_profile_cfg *profiles;

	uint32_t log_level; /* RTE_LOG_* */
};

/* The embedded default (the demo topology), generated from config/demo.json. */
extern const char dsa_config_embedded[];

/*
 * Load and validate. profiles_dir: where "<profile>.json" files live (NULL:
 * DSA_PROFILES_DIR). Returns 0, or -EINVAL with the message in err.
 */
int dsa_config_load_file(const char *path, const char *profiles_dir, struct dsa_config *cfg,
        char *err, size_t errlen);
int dsa_config_load_string(const char *text, const char *name, const char *profiles_dir,
        struct dsa_config *cfg, char *err, size_t errlen);
void dsa_config_free(struct dsa_config *cfg);

/* Print the grammar (every key, its type, default and help) to f. */
void dsa_config_help(FILE *f);

const char *dsa_role_name(enum dsa_role role);

#endif /* DSA_CONFIG_H */
