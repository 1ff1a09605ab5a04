/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit test of lib/config: no EAL, no hugepages.
 *
 * usage: test_config [DEMO_JSON [PROFILES_DIR]]
 * (defaults: config/demo.json and the build's DSA_PROFILES_DIR)
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_ethdev.h>
#include <rte_log.h>

#include "dsa_config.h"
#include "check.h"

static const char *demo_path = "config/demo.json";
static const char *profiles_dir = DSA_PROFILES_DIR;
static char tmpdir[] = "/tmp/test_config.XXXXXX";

static bool
addr_is(const struct dsa_addr *a, const char *s)
{
	struct dsa_addr b;

	return dsa_addr_parse(s, &b) == 0 && dsa_addr_eq(a, &b);
}

static bool
prefix_is(const struct dsa_prefix *p, const char *s)
{
	char buf[DSA_PREFIX_STRLEN];

	return strcmp(dsa_prefix_fmt(p, buf, sizeof(buf)), s) == 0;
}

static bool
mac_is(const struct rte_ether_addr *m, const char *s)
{
	struct rte_ether_addr b;

	return dsa_mac_parse(s, &b) == 0 && rte_is_same_ether_addr(m, &b);
}

static bool
is_zero(const void *p, size_t len)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < len; i++)
		if (b[i] != 0)
			return false;
	return true;
}

static void
check_demo(const struct dsa_config *cfg)
{
	const struct dsa_port_cfg *p;

	CHECK(cfg->role == DSA_ROLE_LMA);
	CHECK(cfg->eal_argc == 4);
	if (cfg->eal_argc == 4) {
		CHECK_STR(cfg->eal_argv[0], "-l");
		CHECK_STR(cfg->eal_argv[1], "0-1");
		CHECK_STR(cfg->eal_argv[3], "--file-prefix=dsanchor-demo");
		CHECK(cfg->eal_argv[4] == NULL);
	}
	CHECK(cfg->lcores.control == 0);
	CHECK(cfg->lcores.n_pipelines == 1);
	CHECK(cfg->lcores.pipelines[0] == 1);
	CHECK(cfg->idle.mode == DSA_IDLE_ADAPTIVE);
	CHECK(cfg->idle.spin_polls == 512);
	CHECK(cfg->idle.sleep_us == 200);
	CHECK(cfg->tunnel.ttl == 64);
	CHECK(cfg->tunnel.hop_limit == 64);
	CHECK(!cfg->tunnel.ecn_compat);
	CHECK(cfg->tunnel.icmp_rate == 1000);
	CHECK(cfg->tunnel.icmp_burst == 50);
	CHECK(cfg->tables.ipv4 == 4096);
	CHECK(cfg->tables.ipv6_prefix == 4096);
	CHECK(cfg->tables.ipv6_host == 1024);
	CHECK(cfg->mem.mbufs == 8192);
	CHECK(cfg->mem.frag_entries == 1024);
	CHECK(cfg->mem.frag_timeout_ms == 2000);
	CHECK(cfg->n_local == 2);
	CHECK(addr_is(&cfg->local[0], "2001:db8:ff::1"));
	CHECK(addr_is(&cfg->local[1], "203.0.113.1"));

	CHECK(cfg->n_ports == 2);
	p = &cfg->ports[0];
	CHECK_STR(p->name, "core");
	CHECK_STR(p->profile.name, "pcap");
	CHECK_STR(p->profile.driver, "net_pcap");
	CHECK(p->profile.rx_desc == 512 && p->profile.tx_desc == 512);
	CHECK(!p->profile.rss && p->profile.rss_hf == 0);
	CHECK(p->profile.rx_offloads == 0);
	CHECK(p->profile.tx_offloads == 0);
	CHECK(p->profile.max_queues == 0);
	CHECK(p->profile.mtu == 1500);
	CHECK_STR(p->device, "net_pcap0,rx_pcap=run/demo/core-in.pcap,"
	                     "tx_pcap=run/demo/core-out.pcap");
	CHECK(p->has_mac && mac_is(&p->mac, "02:00:00:00:c0:01"));
	CHECK(p->has_ipv4 && prefix_is(&p->ipv4, "198.51.100.1/24"));
	CHECK(p->has_ipv6 && prefix_is(&p->ipv6, "2001:db8:c0::1/64"));
	CHECK(p->mtu == 1500);
	CHECK_STR(cfg->ports[1].name, "access");
	CHECK(prefix_is(&cfg->ports[1].ipv4, "192.0.2.1/24"));

	CHECK(cfg->n_routes == 4);
	if (cfg->n_routes == 4) {
		CHECK(prefix_is(&cfg->routes[0].prefix, "0.0.0.0/0"));
		CHECK(cfg->routes[0].type == DSA_ROUTE_VIA);
		CHECK(addr_is(&cfg->routes[0].via, "198.51.100.254"));
		CHECK(cfg->routes[0].port == 0);
		CHECK(prefix_is(&cfg->routes[1].prefix, "::/0"));
		CHECK(addr_is(&cfg->routes[1].via, "2001:db8:c0::fe"));
		CHECK(cfg->routes[2].type == DSA_ROUTE_HOME);
		CHECK(cfg->routes[2].port == -1);
		CHECK(cfg->routes[2].via.af == 0);
		CHECK(prefix_is(&cfg->routes[3].prefix, "2001:db8:100::/40"));
	}

	CHECK(cfg->n_neighbors == 6);
	if (cfg->n_neighbors == 6) {
		CHECK(addr_is(&cfg->neighbors[0].ip, "198.51.100.254"));
		CHECK(mac_is(&cfg->neighbors[0].mac, "02:00:00:00:c0:fe"));
		CHECK(cfg->neighbors[0].port == 0);
		CHECK(addr_is(&cfg->neighbors[5].ip, "2001:db8:a::30"));
		CHECK(cfg->neighbors[5].port == 1);
	}

	CHECK(cfg->n_bindings == 4);
	if (cfg->n_bindings == 4) {
		const struct dsa_binding_cfg *b = cfg->bindings;

		CHECK_STR(b[0].mn_id, "mn1@demo.example");
		CHECK(b[0].has_hoa4 && b[0].hoa4 == inet_addr("10.64.0.1"));
		CHECK(b[0].has_hnp && prefix_is(&b[0].hnp, "2001:db8:100:1::/64"));
		CHECK(!b[0].has_hoa6);
		CHECK(addr_is(&b[0].coa, "2001:db8:a::20"));
		CHECK(!b[0].has_gre_key);
		CHECK(addr_is(&b[1].coa, "192.0.2.10"));
		CHECK(b[2].has_gre_key && b[2].gre_key == 1003);
		CHECK(!b[3].has_hnp);
		CHECK(b[3].has_hoa6 && addr_is(&b[3].hoa6, "2001:db8:100:4::4"));
		CHECK(b[3].gre_key == 1004);
	}
	CHECK(cfg->log_level == RTE_LOG_NOTICE);
}

static void
test_demo(void)
{
	static struct dsa_config cfg;
	char err[DSA_ERR_LEN] = "";
	int rc;

	rc = dsa_config_load_file(demo_path, profiles_dir, &cfg, err, sizeof(err));
	if (rc != 0)
		fprintf(stderr, "%s\n", err);
	CHECK(rc == 0);
	CHECK(err[0] == '\0');
	CHECK_STR(cfg.path, demo_path);
	check_demo(&cfg);
	dsa_config_free(&cfg);
	CHECK(is_zero(&cfg, sizeof(cfg)));
	dsa_config_free(&cfg); /* twice is harmless */
}

/* The embedded default is demo.json: same content, field by field. */
static void
test_embedded(void)
{
	static struct dsa_config a, b, a2, b2;
	char err[DSA_ERR_LEN] = "";
	int rc;

	rc = dsa_config_load_string(
	        dsa_config_embedded, "<embedded>", profiles_dir, &a, err, sizeof(err));
	if (rc != 0)
		fprintf(stderr, "%s\n", err);
	CHECK(rc == 0);
	CHECK_STR(a.path, "<embedded>");
	check_demo(&a);

	rc = dsa_config_load_file(demo_path, profiles_dir, &b, err, sizeof(err));
	CHECK(rc == 0);
	if (rc == 0 && a.n_routes == b.n_routes && a.n_neighbors == b.n_neighbors &&
	        a.n_bindings == b.n_bindings) {
		CHECK(memcmp(a.routes, b.routes, a.n_routes * sizeof(*a.routes)) == 0);
		CHECK(memcmp(a.neighbors, b.neighbors, a.n_neighbors * sizeof(*a.neighbors)) == 0);
		CHECK(memcmp(a.bindings, b.bindings, a.n_bindings * sizeof(*a.bindings)) == 0);
		a2 = a;
		b2 = b;
		memset(a2.path, 0, sizeof(a2.path));
		memset(b2.path, 0, sizeof(b2.path));
		a2.eal_argv = b2.eal_argv = NULL;
		a2.routes = b2.routes = NULL;
		a2.neighbors = b2.neighbors = NULL;
		a2.bindings = b2.bindings = NULL;
		a2.profiles = b2.profiles = NULL;
		CHECK(memcmp(&a2, &b2, sizeof(a2)) == 0);
	} else {
		CHECK(!"embedded and file configs differ in list sizes");
	}
	dsa_config_free(&a);
	dsa_config_free(&b);

	/* No name: it calls itself <embedded>. */
	rc = dsa_config_load_string(dsa_config_embedded, NULL, profiles_dir, &a, err, sizeof(err));
	CHECK(rc == 0);
	CHECK_STR(a.path, "<embedded>");
	dsa_config_free(&a);
}

static void
test_defaults(void)
{
	static struct dsa_config cfg;
	char err[DSA_ERR_LEN] = "";
	const struct dsa_port_profile *pr;
	int rc;

	rc = dsa_config_load_string("{ \"role\": \"mag\", \"ports\": [ { \"name\": \"p0\", "
	                            "\"profile\": \"ixgbe\", \"device\": \"0000:03:00.0\" } ] }",
	        "min", profiles_dir, &cfg, err, sizeof(err));
	if (rc != 0)
		fprintf(stderr, "%s\n", err);
	CHECK(rc == 0);
	CHECK(cfg.role == DSA_ROLE_MAG);
	CHECK(cfg.eal_argc == 0 && cfg.eal_argv == NULL);
	CHECK(cfg.lcores.control == -1);
	CHECK(cfg.lcores.n_pipelines == 1);
	CHECK(cfg.lcores.pipelines[0] == -1);
	CHECK(cfg.idle.mode == DSA_IDLE_BUSY);
	CHECK(cfg.idle.spin_polls == 256);
	CHECK(cfg.idle.sleep_us == 100);
	CHECK(cfg.tunnel.ttl == 64 && cfg.tunnel.hop_limit == 64);
	CHECK(!cfg.tunnel.ecn_compat);
	CHECK(cfg.tunnel.icmp_rate == 100 && cfg.tunnel.icmp_burst == 10);
	CHECK(cfg.tables.ipv4 == 65536 && cfg.tables.ipv6_prefix == 65536);
	CHECK(cfg.tables.ipv6_host == 16384);
	CHECK(cfg.mem.mbufs == 16384 && cfg.mem.frag_entries == 4096);
	CHECK(cfg.mem.frag_timeout_ms == 2000);
	CHECK(cfg.n_local == 0);
	CHECK(cfg.n_routes == 0 && cfg.routes == NULL);
	CHECK(cfg.n_neighbors == 0 && cfg.neighbors == NULL);
	CHECK(cfg.n_bindings == 0 && cfg.bindings == NULL);
	CHECK_EQ(cfg.lma.max_lifetime_s, 3600);
	CHECK_EQ(cfg.lma.min_delay_before_delete_ms, 10000);
	CHECK_EQ(cfg.lma.max_delay_before_assign_ms, 1500);
	CHECK_EQ(cfg.lma.timestamp_window_ms, 300);
	CHECK_EQ(cfg.lma.bri_max_retries, 1);
	CHECK_EQ(cfg.punt.src_rate, 2000);
	CHECK_EQ(cfg.punt.src_burst, 500);
	CHECK_EQ(cfg.punt.rate, 200000);
	CHECK_EQ(cfg.punt.burst, 20000);
	CHECK_EQ(cfg.lma.initial_bri_delay_ms, 1000);
	CHECK(!cfg.lma.seqno_ordering);
	CHECK_EQ(cfg.lma.ipv4_default_router_set, 0);
	CHECK_EQ(cfg.lma.ipv4_default_router, 0);
	CHECK(cfg.n_peers == 0);
	CHECK(cfg.n_profiles == 0 && cfg.profiles == NULL);
	CHECK(cfg.log_level == RTE_LOG_NOTICE);
	CHECK(cfg.n_ports == 1);
	CHECK(!cfg.ports[0].has_mac && !cfg.ports[0].has_ipv4 && !cfg.ports[0].has_ipv6);
	CHECK(cfg.ports[0].mtu == 1500); /* the ixgbe profile sets none */
	pr = &cfg.ports[0].profile;
	CHECK_STR(pr->name, "ixgbe");
	CHECK_STR(pr->driver, "net_ixgbe");
	CHECK(pr->rx_desc == 1024 && pr->tx_desc == 1024);
	CHECK(pr->rss);
	CHECK(pr->rss_hf == (RTE_ETH_RSS_IP | RTE_ETH_RSS_TCP | RTE_ETH_RSS_UDP));
	CHECK(pr->rx_offloads == RTE_ETH_RX_OFFLOAD_IPV4_CKSUM);
	CHECK(pr->tx_offloads == (RTE_ETH_TX_OFFLOAD_IPV4_CKSUM | RTE_ETH_TX_OFFLOAD_MULTI_SEGS));
	CHECK(pr->mtu == 0);
	CHECK(pr->max_queues == 16);
	CHECK(pr->devargs[0] == '\0');
	dsa_config_free(&cfg);
}

static void
test_forms(void)
{
	static struct dsa_config cfg;
	char err[DSA_ERR_LEN] = "";
	int rc;

	/* pipelines as a count; port mtu over profile mtu; blackhole; on-link route;
	 * the largest GRE key; every log level name. */
	rc = dsa_config_load_string(
	        "{ \"role\": \"gmap\", \"lcores\": { \"pipelines\": 3 },"
	        "  \"tunnel\": { \"ecn\": \"compat\" },"
	        "  \"log\": { \"level\": \"debug\" },"
	        "  \"ports\": [ { \"name\": \"a\", \"profile\": \"pcap\", \"device\": "
	        "\"net_null0\","
	        "                 \"mtu\": 9000, \"ipv4\": \"10.0.0.7/8\" } ],"
	        "  \"routes\": [ { \"prefix\": \"10.0.0.0/8\", \"port\": \"a\" },"
	        "                { \"prefix\": \"192.0.2.0/24\", \"type\": \"blackhole\" } ],"
	        "  \"bindings\": [ { \"hoa6\": \"2001:db8::1\", \"coa\": \"10.0.0.9\","
	        "                    \"gre_key\": 4294967295 } ] }",
	        "forms", profiles_dir, &cfg, err, sizeof(err));
	if (rc != 0)
		fprintf(stderr, "%s\n", err);
	CHECK(rc == 0);
	CHECK(cfg.role == DSA_ROLE_GMAP);
	CHECK(cfg.lcores.n_pipelines == 3);
	CHECK(cfg.lcores.pipelines[0] == -1 && cfg.lcores.pipelines[2] == -1);
	CHECK(cfg.tunnel.ecn_compat);
	CHECK(cfg.log_level == RTE_LOG_DEBUG);
	CHECK(cfg.ports[0].mtu == 9000);
	CHECK(prefix_is(&cfg.ports[0].ipv4, "10.0.0.7/8")); /* host bits kept */
	CHECK(cfg.n_routes == 2);
	CHECK(cfg.routes[0].port == 0 && cfg.routes[0].via.af == 0);
	CHECK(cfg.routes[1].type == DSA_ROUTE_BLACKHOLE && cfg.routes[1].port == -1);
	CHECK(cfg.n_bindings == 1);
	CHECK(cfg.bindings[0].has_gre_key && cfg.bindings[0].gre_key == UINT32_MAX);
	CHECK(cfg.bindings[0].mn_id[0] == '\0');
	dsa_config_free(&cfg);
}

/* lma signalling settings, peers and MN policy profiles. */
static void
test_signalling(void)
{
	static struct dsa_config cfg;
	char err[DSA_ERR_LEN] = "";
	const struct dsa_profile_cfg *p;
	int rc;

	rc = dsa_config_load_string(
	        "{ \"role\": \"lma\","
	        "  \"ports\": [ { \"name\": \"p\", \"profile\": \"pcap\", \"device\": \"d\" } ],"
	        "  \"lma\": { \"max_lifetime_s\": 262140,"
	        "             \"min_delay_before_bce_delete_ms\": 0,"
	        "             \"max_delay_before_new_bce_assign_ms\": 60000,"
	        "             \"timestamp_window_ms\": 1,"
	        "             \"ordering\": \"sequence\","
	        "             \"ipv4_default_router\": \"10.64.0.254\" },"
	        "  \"peers\": [ { \"name\": \"mag1\", \"address\": \"2001:db8:a::20\" },"
	        "               { \"name\": \"mag2\", \"address\": \"192.0.2.10\","
	        "                 \"dialect\": \"seed001\" },"
	        "               { \"name\": \"mag3\", \"address\": \"192.0.2.30\","
	        "                 \"dialect\": \"rfc\" } ],"
	        "  \"profiles\": ["
	        "    { \"mn_id\": \"mn1@example\", \"hnp\": \"2001:db8:100:1::/64\","
	        "      \"hoa4\": \"10.64.0.1\", \"att\": [ 0, 4, 31 ],"
	        "      \"mags\": [ \"mag3\", \"mag1\" ] },"
	        "    { \"mn_id\": \"mn2\", \"hoa4\": \"10.64.1.7/24\" },"
	        "    { \"mn_id\": \"mn3\", \"hnp\": \"2001:db8:100:3::/64\", \"att\": [],"
	        "      \"mags\": [] },"
	        "    { \"mn_id\": \"mn4\" } ] }",
	        "sig", profiles_dir, &cfg, err, sizeof(err));
	if (rc != 0)
		fprintf(stderr, "%s\n", err);
	CHECK(rc == 0);
	if (rc != 0)
		return;
	CHECK_EQ(cfg.lma.max_lifetime_s, 262140);
	CHECK_EQ(cfg.lma.min_delay_before_delete_ms, 0);
	CHECK_EQ(cfg.lma.max_delay_before_assign_ms, 60000);
	CHECK_EQ(cfg.lma.timestamp_window_ms, 1);
	CHECK(cfg.lma.seqno_ordering);
	CHECK_EQ(cfg.lma.ipv4_default_router_set, 1);
	CHECK_EQ(cfg.lma.ipv4_default_router, inet_addr("10.64.0.254"));

	CHECK(cfg.n_peers == 3);
	CHECK_STR(cfg.peers[0].name, "mag1");
	CHECK(addr_is(&cfg.peers[0].addr, "2001:db8:a::20"));
	CHECK(cfg.peers[0].dialect == DSA_DIALECT_RFC);
	CHECK_STR(cfg.peers[1].name, "mag2");
	CHECK(addr_is(&cfg.peers[1].addr, "192.0.2.10"));
	CHECK(cfg.peers[1].dialect == DSA_DIALECT_SEED001);
	CHECK_STR(cfg.peers[2].name, "mag3");
	CHECK(addr_is(&cfg.peers[2].addr, "192.0.2.30"));
	CHECK(cfg.peers[2].dialect == DSA_DIALECT_RFC);
	CHECK(is_zero(&cfg.peers[3], sizeof(cfg.peers[3])));

	CHECK(cfg.n_profiles == 4 && cfg.profiles != NULL);
	if (cfg.n_profiles != 4 || cfg.profiles == NULL) {
		dsa_config_free(&cfg);
		return;
	}
	p = &cfg.profiles[0];
	CHECK_STR(p->mn_id, "mn1@example");
	CHECK(p->has_hnp && prefix_is(&p->hnp, "2001:db8:100:1::/64"));
	CHECK(p->has_hoa4 && p->hoa4 == inet_addr("10.64.0.1"));
	CHECK_EQ(p->hoa4_plen, 32);
	CHECK_EQ(p->att_mask, (1u << 0) | (1u << 4) | (1u << 31));
	CHECK_EQ(p->n_mags, 2);
	CHECK_EQ(p->mags[0], 2);
	CHECK_EQ(p->mags[1], 0);

	p = &cfg.profiles[1];
	CHECK_STR(p->mn_id, "mn2");
	CHECK(!p->has_hnp && is_zero(&p->hnp, sizeof(p->hnp)));
	CHECK(p->has_hoa4 && p->hoa4 == inet_addr("10.64.1.7")); /* host bits kept */
	CHECK_EQ(p->hoa4_plen, 24);
	CHECK_EQ(p->att_mask, 0);
	CHECK_EQ(p->n_mags, 0);

	p = &cfg.profiles[2];
	CHECK_STR(p->mn_id, "mn3");
	CHECK(p->has_hnp && prefix_is(&p->hnp, "2001:db8:100:3::/64"));
	CHECK(!p->has_hoa4 && p->hoa4 == 0 && p->hoa4_plen == 0);
	CHECK_EQ(p->att_mask, 0);
	CHECK_EQ(p->n_mags, 0);

	p = &cfg.profiles[3]; /* no address at all: from a pool, later */
	CHECK_STR(p->mn_id, "mn4");
	CHECK(!p->has_hnp && !p->has_hoa4);
	CHECK(p->att_mask == 0 && p->n_mags == 0);

	dsa_config_free(&cfg);
	CHECK(is_zero(&cfg, sizeof(cfg)));
}

/* Every profile shipped in drivers-cfg/ loads. */
static void
test_profiles(void)
{
	static const struct {
		const char *name, *driver;
		bool rss;
	} profiles[] = {
		{ "pcap", "net_pcap", false },
		{ "af_packet", "net_af_packet", false },
		{ "tap", "net_tap", false },
		{ "memif", "net_memif", false },
		{ "ring", "net_ring", false },
		{ "null", "net_null", false },
		{ "ixgbe", "net_ixgbe", true },
		{ "ice", "net_ice", true },
		{ "i40e", "net_i40e", true },
		{ "mlx5", "mlx5_pci", true },
	};
	static struct dsa_config cfg;
	char text[512], err[DSA_ERR_LEN];

	for (size_t i = 0; i < RTE_DIM(profiles); i++) {
		int rc;

		snprintf(text, sizeof(text),
		        "{ \"role\": \"lma\", \"ports\": [ { \"name\": \"p\", \"profile\": \"%s\", "
		        "\"device\": \"d\" } ] }",
		        profiles[i].name);
		rc = dsa_config_load_string(
		        text, profiles[i].name, profiles_dir, &cfg, err, sizeof(err));
		if (rc != 0)
			fprintf(stderr, "profile %s: %s\n", profiles[i].name, err);
		CHECK(rc == 0);
		if (rc != 0)
			continue;
		CHECK_STR(cfg.ports[0].profile.driver, profiles[i].driver);
		CHECK(cfg.ports[0].profile.rss == profiles[i].rss);
		CHECK(!profiles[i].rss || (cfg.ports[0].profile.rss_hf & RTE_ETH_RSS_IPV4));
		CHECK(cfg.ports[0].profile.rx_desc >= 32 && cfg.ports[0].profile.tx_desc >= 32);
		dsa_config_free(&cfg);
	}
}

static void
write_file(const char *dir, const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	CHECK(f != NULL);
	if (f == NULL)
		return;
	fputs(text, f);
	fclose(f);
}

static void
remove_file(const char *dir, const char *name)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	unlink(path);
}

#define PORT_WITH(profile)                                                                         \
	"{ \"role\": \"lma\", \"ports\": [ { \"name\": \"p\", \"profile\": \"" profile "\", "      \
	"\"device\": \"d\" } ] }"

/* A config with one port and peers mag1, mag2, then the given keys. */
#define WITH_PEERS(rest)                                                                           \
	"{ \"role\": \"lma\", \"ports\": [ { \"name\": \"p\", \"profile\": \"p\", "                \
	"\"device\": \"d\" } ], \"peers\": [ { \"name\": \"mag1\", \"address\": "                  \
	"\"10.0.0.1\" }, { \"name\": \"mag2\", \"address\": \"2001:db8::1\" } ], " rest " }"

/* Exact messages, including those about profiles (from a scratch directory). */
static void
test_errors(void)
{
	static const struct {
		const char *text, *expect;
	} cases[] = {
		{ "{ \"role\": \"lma\",\n  \"ports\": [ }",
		        "t: line 2 column 14: unexpected token near '}'" },
		{ "[]", "t: (top level): expected an object, got an array" },
		{ "{ \"role\": \"lma\", \"role\": \"mag\" }",
		        "t: line 1 column 23: duplicate object "
		        "key near '\"role\"'" },
		{ "{ \"role\": \"lma\" }", "t: ports: required key is missing" },
		{ "{ \"role\": 1 }", "t: role: expected a string, got an integer" },
		{ "{ \"role\": \"ha\" }", "t: role: \"ha\" is not one of lma, mag, gmap" },
		{ "{ \"role\": \"lma\", \"tunnel\": { \"ttl\": 64.0 } }",
		        "t: tunnel.ttl: expected an integer, got a real number" },
		{ "{ \"role\": \"lma\", \"eal\": [ \"-l\", 1 ] }",
		        "t: eal[1]: expected a string, got an integer" },
		{ "{ \"role\": \"lma\", \"lcores\": { \"control\": 1, \"pipelines\": [ 2, 1 ] } }",
		        "t: lcores.pipelines[1]: lcore 1 is the control lcore" },
		{ "{ \"role\": \"lma\", \"lcores\": { \"pipelines\": [ 2, 2 ] } }",
		        "t: lcores.pipelines[1]: lcore 2 is listed twice" },
		{ "{ \"role\": \"lma\", \"lcores\": { \"pipelines\": 17 } }",
		        "t: lcores.pipelines: 17 is out of range 1..16" },
		{ "{ \"role\": \"lma\", \"local_addresses\": [ \"10.0.0.1\", \"10.0.0.1\" ] }",
		        "t: local_addresses[1]: 10.0.0.1 is listed twice" },
		{ "{ \"role\": \"lma\", \"ports\": [ { \"name\": \"p\", \"profile\": \"../x\", "
		  "\"device\": \"d\" } ] }",
		        "t: ports[0].profile: \"../x\" is not a profile name (letters, digits, _ - "
		        ".)" },
		{ "{ \"role\": \"lma\", \"ports\": [ { \"name\": \"p\", \"profile\": \"p\", "
		  "\"device\": \"d\", \"ipv6\": \"2001:db8::1\" } ] }",
		        "t: ports[0].ipv6: \"2001:db8::1\" has no prefix length (expected "
		        "IPv6/len)" },
		{ "{ \"role\": \"lma\", \"ports\": [ { \"name\": \"p\", \"profile\": \"p\", "
		  "\"device\": \"d\", \"ipv4\": \"10.0.0.1/33\" } ] }",
		        "t: ports[0].ipv4: \"10.0.0.1/33\": the prefix length must be 0..32" },
		{ "{ \"role\": \"lma\", \"ports\": [ { \"name\": \"p\", \"profile\": \"p\", "
		  "\"device\": \"d\", \"mac\": \"01:00:5e:00:00:01\" } ] }",
		        "t: ports[0].mac: \"01:00:5e:00:00:01\" is not a unicast MAC address" },
		{ "{ \"role\": \"lma\", \"ports\": [ { \"name\": \"p\", \"profile\": \"p\", "
		  "\"device\": \"d\" } ], \"routes\": [ { \"prefix\": \"10.0.0.0/8\" } ] }",
		        "t: routes[0].port: required for type \"via\"" },
		{ "{ \"role\": \"lma\", \"ports\": [ { \"name\": \"p\", \"profile\": \"p\", "
		  "\"device\": \"d\" } ], \"routes\": [ { \"prefix\": \"10.0.0.0/8\", \"port\": "
		  "\"p\", \"via\": \"2001:db8::1\" } ] }",
		        "t: routes[0].via: 2001:db8::1 is not an IPv4 address, as the prefix is" },
		{ "{ \"role\": \"lma\", \"ports\": [ { \"name\": \"p\", \"profile\": \"p\", "
		  "\"device\": \"d\" } ], \"routes\": [ { \"prefix\": \"10.0.0.0/8\", \"port\": "
		  "\"p\" }, { \"prefix\": \"10.0.0.0/8\", \"type\": \"home\" } ] }",
		        "t: routes[1].prefix: 10.0.0.0/8 is already routed by routes[0]" },
		{ "{ \"role\": \"lma\", \"ports\": [ { \"name\": \"p\", \"profile\": \"p\", "
		  "\"device\": \"d\" } ], \"bindings\": [ { \"mn_id\": \"x\", \"coa\": "
		  "\"10.0.0.1\" "
		  "} ] }",
		        "t: bindings[0]: needs at least one of hoa4, hnp, hoa6" },
		{ "{ \"role\": \"lma\", \"ports\": [ { \"name\": \"p\", \"profile\": \"p\", "
		  "\"device\": \"d\" } ], \"bindings\": [ { \"hoa6\": \"2001:db8::1\", \"coa\": "
		  "\"10.0.0.1\" }, { \"hoa6\": \"2001:db8::2\", \"coa\": \"10.0.0.1\" }, "
		  "{ \"hoa6\": \"2001:db8::1\", \"coa\": \"10.0.0.1\" } ] }",
		        "t: bindings[2].hoa6: 2001:db8::1 is already bound by bindings[0]" },
		{ "{ \"role\": \"lma\", \"tables\": { \"ipv4\": 8 }, \"ports\": [ { \"name\": "
		  "\"p\", \"profile\": \"p\", \"device\": \"d\" } ], \"bindings\": [ "
		  "{ \"hoa4\": \"10.0.0.1\", \"coa\": \"::1\" }, { \"hoa4\": \"10.0.0.2\", "
		  "\"coa\": "
		  "\"::1\" }, { \"hoa4\": \"10.0.0.3\", \"coa\": \"::1\" }, { \"hoa4\": "
		  "\"10.0.0.4\", \"coa\": \"::1\" }, { \"hoa4\": \"10.0.0.5\", \"coa\": \"::1\" }, "
		  "{ \"hoa4\": \"10.0.0.6\", \"coa\": \"::1\" }, { \"hoa4\": \"10.0.0.7\", "
		  "\"coa\": "
		  "\"::1\" }, { \"hoa4\": \"10.0.0.8\", \"coa\": \"::1\" }, { \"hoa4\": "
		  "\"10.0.0.9\", \"coa\": \"::1\" } ] }",
		        "t: bindings: 9 IPv4 home addresses do not fit tables.ipv4 (8)" },
		{ "{ \"role\": \"lma\", \"ports\": [ { \"name\": \"p\", \"profile\": \"p\", "
		  "\"device\": \"d\" } ], \"bindings\": [ { \"hoa4\": \"10.0.0.1\", \"coa\": "
		  "\"::1\", \"gre_key\": 4294967296 } ] }",
		        "t: bindings[0].gre_key: 4294967296 is out of range 0..4294967295" },
		{ "{ \"role\": \"lma\", \"ports\": [ { \"name\": \"p\", \"profile\": \"p\", "
		  "\"device\": \"d\", \"x\": 1 } ] }",
		        "t: ports[0].x: unknown key (known: name, profile, device, mac, ipv4, "
		        "ipv6, "
		        "mtu)" },
		{ "{ \"role\": \"lma\", \"ports\": [ { \"name\": \"a\\nb\", \"profile\": \"p\", "
		  "\"device\": \"d\", \"mtu\": 67 } ] }",
		        "t: ports[0].mtu: 67 is out of range 68..9600" },
		{ "{ \"role\": \"lma\", \"ports\": [ { \"name\": \"p\", \"profile\": \"p\", "
		  "\"device\": \"d\" } ], \"neighbors\": [ { \"ip\": \"10.0.0.1\", \"mac\": "
		  "\"02:00:00:00:00:01\", \"port\": \"p\" }, { \"ip\": \"10.0.0.1\", \"mac\": "
		  "\"02:00:00:00:00:02\", \"port\": \"p\" } ] }",
		        "t: neighbors[1].ip: 10.0.0.1 on port \"p\" is already defined by "
		        "neighbors[0]" },
		/* lma, peers, profiles */
		{ WITH_PEERS("\"lma\": { \"max_lifetime_s\": 3 }"),
		        "t: lma.max_lifetime_s: 3 is out of range 4..262140" },
		{ WITH_PEERS("\"lma\": { \"ordering\": \"seq\" }"),
		        "t: lma.ordering: \"seq\" is not one of timestamp, sequence" },
		{ WITH_PEERS("\"lma\": { \"ipv4_default_router\": \"2001:db8::1\" }"),
		        "t: lma.ipv4_default_router: \"2001:db8::1\" is not an IPv4 address" },
		{ WITH_PEERS("\"lma\": { \"x\": 1 }"),
		        "t: lma.x: unknown key (known: max_lifetime_s, "
		        "min_delay_before_bce_delete_ms, max_delay_before_new_bce_assign_ms, "
		        "timestamp_window_ms, ordering, bri_max_retries, initial_bri_delay_ms, "
		        "ipv4_default_router)" },
		{ WITH_PEERS("\"x\": 1"),
		        "t: x: unknown key (known: role, eal, lcores, idle, "
		        "tunnel, punt, tables, memory, local_addresses, ports, routes, "
		        "neighbors, bindings, lma, peers, profiles, log)" },
		{ "{ \"role\": \"lma\", \"ports\": [ { \"name\": \"p\", \"profile\": \"p\", "
		  "\"device\": \"d\" } ], \"peers\": [ { \"name\": \"m\" } ] }",
		        "t: peers[0].address: required key is missing" },
		{ "{ \"role\": \"lma\", \"ports\": [ { \"name\": \"p\", \"profile\": \"p\", "
		  "\"device\": \"d\" } ], \"peers\": [ { \"name\": \"m\", \"address\": "
		  "\"10.0.0.1/8\" } ] }",
		        "t: peers[0].address: \"10.0.0.1/8\" is not an IP address" },
		{ WITH_PEERS("\"profiles\": [ { \"hnp\": \"2001:db8::/64\" } ]"),
		        "t: profiles[0].mn_id: required key is missing" },
		{ WITH_PEERS("\"profiles\": [ { \"mn_id\": "
		             "\"0123456789012345678901234567890123456789012345678901234567890123\" "
		             "} ]"),
		        "t: profiles[0].mn_id: \"0123456789012345678901234567890123456789\" is too "
		        "long (at most 63 characters)" },
		{ WITH_PEERS("\"profiles\": [ { \"mn_id\": \"a\", \"mags\": [ \"mag2\", "
		             "\"magX\" ] } ]"),
		        "t: profiles[0].mags[1]: no peer \"magX\"" },
		{ WITH_PEERS("\"profiles\": [ { \"mn_id\": \"a\", \"mags\": [ \"mag2\", "
		             "\"mag2\" ] } ]"),
		        "t: profiles[0].mags[1]: \"mag2\" is listed twice" },
		{ WITH_PEERS("\"profiles\": [ { \"mn_id\": \"a\", \"mags\": [ \"mag1\", "
		             "\"mag1\", \"mag1\", \"mag1\", \"mag1\", \"mag1\", \"mag1\", "
		             "\"mag1\", \"mag1\" ] } ]"),
		        "t: profiles[0].mags: must have 0..8 entries, has 9" },
		{ WITH_PEERS("\"profiles\": [ { \"mn_id\": \"a\", \"mags\": \"mag1\" } ]"),
		        "t: profiles[0].mags: expected an array, got a string" },
		{ WITH_PEERS("\"profiles\": [ { \"mn_id\": \"a\", \"hoa4\": \"10.0.0.1/7\" } ]"),
		        "t: profiles[0].hoa4: \"10.0.0.1/7\": the prefix length must be 8..32" },
		{ WITH_PEERS("\"profiles\": [ { \"mn_id\": \"a\", \"hoa4\": \"10.0.0.1/33\" } ]"),
		        "t: profiles[0].hoa4: \"10.0.0.1/33\": the prefix length must be 8..32" },
		{ WITH_PEERS("\"profiles\": [ { \"mn_id\": \"a\", \"hoa4\": \"::1\" } ]"),
		        "t: profiles[0].hoa4: \"::1\" is not an IPv4 address" },
		{ WITH_PEERS("\"profiles\": [ { \"mn_id\": \"a\", \"hoa4\": 1 } ]"),
		        "t: profiles[0].hoa4: expected a string, got an integer" },
		{ WITH_PEERS("\"profiles\": [ { \"mn_id\": \"a\", \"hnp\": "
		             "\"2001:db8::1/64\" } ]"),
		        "t: profiles[0].hnp: \"2001:db8::1/64\" has bits set beyond the prefix "
		        "length" },
		{ WITH_PEERS("\"profiles\": [ { \"mn_id\": \"a\", \"att\": [ 1, 32 ] } ]"),
		        "t: profiles[0].att[1]: 32 is out of range 0..31" },
		{ WITH_PEERS("\"profiles\": [ { \"mn_id\": \"a\", \"att\": [ 3, 3 ] } ]"),
		        "t: profiles[0].att[1]: 3 is listed twice" },
		{ WITH_PEERS("\"profiles\": [ { \"mn_id\": \"a\", \"att\": [ \"wlan\" ] } ]"),
		        "t: profiles[0].att[0]: expected an integer, got a string" },
		{ WITH_PEERS("\"profiles\": [ { \"mn_id\": \"a\", \"hoa4\": \"10.0.0.1/24\" }, "
		             "{ \"mn_id\": \"b\", \"hnp\": \"2001:db8:1::/64\" }, "
		             "{ \"mn_id\": \"c\", \"hnp\": \"2001:db8:1::/64\", "
		             "\"hoa4\": \"10.0.0.1\" } ]"),
		        "t: profiles[2].hnp: 2001:db8:1::/64 is already used by profiles[1]" },
		{ WITH_PEERS("\"profiles\": [ { \"mn_id\": \"a\", \"hoa4\": \"10.0.0.1/24\" }, "
		             "{ \"mn_id\": \"b\", \"hoa4\": \"10.0.0.1\" } ]"),
		        "t: profiles[1].hoa4: 10.0.0.1 is already used by profiles[0]" },
		{ WITH_PEERS("\"profiles\": [ { \"mn_id\": \"a\" }, { \"mn_id\": \"b\" }, "
		             "{ \"mn_id\": \"a\" } ]"),
		        "t: profiles[2].mn_id: \"a\" is already used by profiles[0]" },
		{ "{ \"role\": \"lma\", \"{\\u0001}\": 1 }", NULL }, /* control chars -> '?' */
		/* profiles, from the scratch directory */
		{ PORT_WITH("badrss"),
		        "%s/badrss.json: rss_hf[1]: unknown RSS type \"xyz\" (ports[0].profile)" },
		{ PORT_WITH("badsyntax"),
		        "%s/badsyntax.json: line 1 column 18: end of file expected near ','"
		        " (ports[0].profile)" },
		{ PORT_WITH("nodriver"),
		        "%s/nodriver.json: driver: required key is missing (ports[0].profile)" },
		{ PORT_WITH("badtx"),
		        "%s/badtx.json: tx_offloads[0]: unknown TX offload \"scatter\" "
		        "(ports[0].profile)" },
		{ PORT_WITH("nope"), "t: ports[0].profile: no profile \"nope\" in %s" },
	};
	static struct dsa_config cfg;
	char err[DSA_ERR_LEN], expect[DSA_ERR_LEN];

	write_file(tmpdir, "p.json", "{ \"driver\": \"net_null\" }");
	write_file(tmpdir, "badrss.json",
	        "{ \"driver\": \"x\", \"rss\": true, "
	        "\"rss_hf\": [ \"ip\", \"xyz\" ] }");
	write_file(tmpdir, "badsyntax.json", "{ \"driver\": \"x\" }, }");
	write_file(tmpdir, "nodriver.json", "{ \"rx_desc\": 64 }");
	write_file(tmpdir, "badtx.json", "{ \"driver\": \"x\", \"tx_offloads\": [ \"scatter\" ] }");

	for (size_t i = 0; i < RTE_DIM(cases); i++) {
		int rc;

		memset(&cfg, 0xa5, sizeof(cfg)); /* must come back zeroed */
		strcpy(err, "unset");
		rc = dsa_config_load_string(cases[i].text, "t", tmpdir, &cfg, err, sizeof(err));
		CHECK(rc == -EINVAL);
		CHECK(is_zero(&cfg, sizeof(cfg)));
		CHECK(strchr(err, '\n') == NULL);
		if (cases[i].expect == NULL) {
			CHECK(strncmp(err, "t: {?}: unknown key", 19) == 0);
			continue;
		}
		snprintf(expect, sizeof(expect), cases[i].expect, tmpdir);
		CHECK_STR(err, expect);
	}

	/* At most DSA_MAX_PEERS peers. */
	{
		char text[8192];
		size_t n;

		n = snprintf(text, sizeof(text),
		        "{ \"role\": \"lma\", \"ports\": [ { \"name\": \"p\", \"profile\": "
		        "\"p\", \"device\": \"d\" } ], \"peers\": [ ");
		for (int i = 0; i <= DSA_MAX_PEERS && n < sizeof(text); i++)
			n += snprintf(text + n, sizeof(text) - n,
			        "%s{ \"name\": \"m%d\", \"address\": \"10.0.%d.%d\" }",
			        i ? ", " : "", i, i / 256, i % 256);
		if (n < sizeof(text))
			snprintf(text + n, sizeof(text) - n, " ] }");
		memset(&cfg, 0xa5, sizeof(cfg));
		CHECK(dsa_config_load_string(text, "t", tmpdir, &cfg, err, sizeof(err)) == -EINVAL);
		CHECK(is_zero(&cfg, sizeof(cfg)));
		CHECK_STR(err, "t: peers: must have 0..64 entries, has 65");
	}

	/* The default profile: rss without rss_hf hashes on ip, tcp, udp. */
	write_file(tmpdir, "rssdef.json", "{ \"driver\": \"x\", \"rss\": true, \"mtu\": 9000 }");
	CHECK(dsa_config_load_string(PORT_WITH("rssdef"), "t", tmpdir, &cfg, err, sizeof(err)) ==
	        0);
	CHECK(cfg.ports[0].profile.rss_hf == (RTE_ETH_RSS_IP | RTE_ETH_RSS_TCP | RTE_ETH_RSS_UDP));
	CHECK(cfg.ports[0].mtu == 9000); /* from the profile */
	CHECK(cfg.ports[0].profile.rx_desc == 1024);
	dsa_config_free(&cfg);

	/* A file that is not there, and no error buffer at all. */
	CHECK(dsa_config_load_file("/nonexistent/x.json", NULL, &cfg, err, sizeof(err)) == -EINVAL);
	CHECK_STR(err, "/nonexistent/x.json: cannot read: No such file or directory");
	CHECK(dsa_config_load_string("{}", "t", NULL, &cfg, NULL, 0) == -EINVAL);
	CHECK(is_zero(&cfg, sizeof(cfg)));

	remove_file(tmpdir, "p.json");
	remove_file(tmpdir, "badrss.json");
	remove_file(tmpdir, "badsyntax.json");
	remove_file(tmpdir, "nodriver.json");
	remove_file(tmpdir, "badtx.json");
	remove_file(tmpdir, "rssdef.json");
}

static void
test_help(void)
{
	static const char *const want[] = { "role", "lcores.pipelines", "idle.spin_polls",
		"tunnel.ecn", "memory.frag_timeout_ms", "ports[].profile", "routes[].via",
		"bindings[].gre_key", "lma.max_lifetime_s", "lma.min_delay_before_bce_delete_ms",
		"lma.max_delay_before_new_bce_assign_ms", "lma.timestamp_window_ms", "lma.ordering",
		"lma.bri_max_retries", "lma.initial_bri_delay_ms", "lma.ipv4_default_router",
		"punt.per_source_rate", "punt.per_source_burst", "punt.rate", "punt.burst",
		"peers[].name", "peers[].address", "peers[].dialect", "seed001", "profiles[].mn_id",
		"profiles[].hnp", "profiles[].hoa4", "profiles[].att", "profiles[].mags",
		"log.level", "rss_hf", "tx_offloads", "mbuf_fast_free", "l2_payload", "notice" };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	CHECK(f != NULL);
	if (f == NULL)
		return;
	dsa_config_help(f);
	fclose(f);
	for (size_t i = 0; i < RTE_DIM(want); i++) {
		checks++;
		if (strstr(buf, want[i]) == NULL) {
			failures++;
			fprintf(stderr, "help lacks \"%s\"\n", want[i]);
		}
	}
	free(buf);

	CHECK_STR(dsa_role_name(DSA_ROLE_LMA), "lma");
	CHECK_STR(dsa_role_name(DSA_ROLE_MAG), "mag");
	CHECK_STR(dsa_role_name(DSA_ROLE_GMAP), "gmap");
}

int
main(int argc, char **argv)
{
	if (argc > 1)
		demo_path = argv[1];
	if (argc > 2)
		profiles_dir = argv[2];
	if (mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		return 1;
	}

	test_demo();
	test_embedded();
	test_defaults();
	test_forms();
	test_signalling();
	test_profiles();
	test_errors();
	test_help();

	rmdir(tmpdir);
	printf("test_config: ");
	return check_summary();
}
