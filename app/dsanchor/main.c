/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dsanchor: the appliance. Loads one JSON config, brings up EAL, ports,
 * tables and lcores, runs the control loop on the main lcore, and on
 * SIGINT/SIGTERM stops RX, drains, prints its final counters and exits 0.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_log.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>

#include "dsa_bind.h"
#include "dsa_config.h"
#include "dsa_ctrl.h"
#include "dsa_lma.h"
#include "dsa_pipeline.h"
#include "dsa_route.h"

static volatile bool running = true;

struct opts {
	const char *config;
	const char *profiles;
	bool check;
	unsigned int idle_exit_ms;
	bool quiet;
};

static void
usage(FILE *f, const char *prog)
{
	fprintf(f,
	        "usage: %s [EAL options --] [options]\n"
	        "  -c, --config FILE     appliance config (JSON); default: the embedded demo\n"
	        "  -p, --profiles DIR    drivers-cfg profiles directory (default %s)\n"
	        "      --check           validate the config and exit (touches no port)\n"
	        "      --config-help     print every config key with its help\n"
	        "      --idle-exit MS    stop after MS milliseconds without traffic (tests)\n"
	        "  -q, --quiet           print only the final counters\n"
	        "  -h, --help            this text\n"
	        "EAL options come from the config's \"eal\" array, then from the command\n"
	        "line before \"--\"; ports add their own --vdev / -a arguments.\n",
	        prog, DSA_PROFILES_DIR);
}

static int
parse_opts(int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "profiles", required_argument, NULL, 'p' },
		{ "check", no_argument, NULL, 'C' },
		{ "config-help", no_argument, NULL, 'H' },
		{ "idle-exit", required_argument, NULL, 'I' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "c:p:qh", lo, NULL)) != -1) {
		switch (c) {
		case 'c':
			o->config = optarg;
			break;
		case 'p':
			o->profiles = optarg;
			break;
		case 'C':
			o->check = true;
			break;
		case 'H':
			dsa_config_help(stdout);
			exit(0);
		case 'I':
			o->idle_exit_ms = strtoul(optarg, NULL, 10);
			break;
		case 'q':
			o->quiet = true;
			break;
		case 'h':
			usage(stdout, argv[0]);
			exit(0);
		default:
			usage(stderr, argv[0]);
			return -EINVAL;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "%s: unexpected argument \"%s\"\n", argv[0], argv[optind]);
		return -EINVAL;
	}
	return 0;
}

static bool
is_pci(const char *dev)
{
	unsigned int a, b, c, d;
	char t;

	return sscanf(dev, "%x:%x:%x.%x%c", &a, &b, &c, &d, &t) >= 4 ||
	       sscanf(dev, "%x:%x.%x%c", &b, &c, &d, &t) >= 3;
}

static bool
has_arg(int argc, char **argv, const char *a, const char *b)
{
	for (int i = 0; i < argc; i++)
		if (strcmp(argv[i], a) == 0 || (b != NULL && strcmp(argv[i], b) == 0) ||
		        strncmp(argv[i], "--lcores=", 9) == 0)
			return true;
	return false;
}

/* argv0 + config EAL args + command-line EAL args + one per port. */
static char **
eal_args(const struct dsa_config *cfg, int cl_argc, char **cl_argv, const char *argv0, int *n)
{
	int max = 1 + cfg->eal_argc + cl_argc + 2 * (int)cfg->n_ports + 8;
	char **v = calloc(max + 1, sizeof(char *));
	static char lcores[256], main_lcore[16];
	int k = 0;

	if (v == NULL)
		return NULL;
	v[k++] = (char *)argv0;
	for (int i = 0; i < cfg->eal_argc; i++)
		v[k++] = cfg->eal_argv[i];
	for (int i = 0; i < cl_argc; i++)
		v[k++] = cl_argv[i];
	for (unsigned int i = 0; i < cfg->n_ports; i++) {
		const struct dsa_port_cfg *p = &cfg->ports[i];
		char *dev;

		if (asprintf(&dev, "%s%s%s", p->device, p->profile.devargs[0] ? "," : "",
		            p->profile.devargs) < 0)
			return NULL;
		v[k++] = is_pci(p->device) ? "-a" : "--vdev";
		v[k++] = dev;
	}
	/* Explicit lcores in the config become -l / --main-lcore, unless given. */
	if (cfg->lcores.control >= 0 && !has_arg(k, v, "-l", "-c") &&
	        !has_arg(k, v, "--lcores", NULL)) {
		int len = snprintf(lcores, sizeof(lcores), "%d", cfg->lcores.control);
		bool all = true;

		for (unsigned int i = 0; i < cfg->lcores.n_pipelines; i++) {
			if (cfg->lcores.pipelines[i] < 0)
				all = false;
			else
				len += snprintf(lcores + len, sizeof(lcores) - len, ",%d",
				        cfg->lcores.pipelines[i]);
		}
		if (all) {
			v[k++] = "-l";
			v[k++] = lcores;
		}
	}
	if (cfg->lcores.control >= 0 && !has_arg(k, v, "--main-lcore", NULL)) {
		snprintf(main_lcore, sizeof(main_lcore), "%d", cfg->lcores.control);
		v[k++] = "--main-lcore";
		v[k++] = main_lcore;
	}
	v[k] = NULL;
	*n = k;
	return v;
}

static void
on_signal(int sig)
{
	(void)sig;
	running = false;
}

static void
eui64_ll(const struct rte_ether_addr *mac, uint8_t *ll)
{
	memset(ll, 0, 16);
	ll[0] = 0xfe;
	ll[1] = 0x80;
	ll[8] = mac->addr_bytes[0] ^ 0x02;
	ll[9] = mac->addr_bytes[1];
	ll[10] = mac->addr_bytes[2];
	ll[11] = 0xff;
	ll[12] = 0xfe;
	ll[13] = mac->addr_bytes[3];
	ll[14] = mac->addr_bytes[4];
	ll[15] = mac->addr_bytes[5];
}

/* The connected prefix of an interface address. */
static struct dsa_prefix
connected(const struct dsa_prefix *ifa)
{
	struct dsa_prefix p = *ifa;
	uint8_t *b = p.addr.af == AF_INET ? (uint8_t *)&p.addr.v4 : p.addr.v6;
	unsigned int bytes = p.addr.af == AF_INET ? 4 : 16;

	for (unsigned int i = 0; i < bytes; i++) {
		int keep = (int)p.len - (int)i * 8;

		if (keep <= 0)
			b[i] = 0;
		else if (keep < 8)
			b[i] &= (uint8_t)(0xff << (8 - keep));
	}
	return p;
}

static int
port_setup(const struct dsa_config *cfg, unsigned int idx, unsigned int nq, struct rte_mempool *mp,
        struct dsa_port_info *pi)
{
	const struct dsa_port_cfg *pc = &cfg->ports[idx];
	const struct dsa_port_profile *pr = &pc->profile;
	struct rte_eth_conf conf = { 0 };
	struct rte_eth_dev_info info;
	char name[DSA_DEVARGS_LEN];
	uint16_t port_id, nrx = pr->rx_desc, ntx = pr->tx_desc;
	int ret, socket;
	char *comma;

	snprintf(name, sizeof(name), "%s", pc->device);
	comma = strchr(name, ',');
	if (comma != NULL)
		*comma = '\0';
	if (rte_eth_dev_get_port_by_name(name, &port_id) != 0) {
		fprintf(stderr,
		        "ports[%u] (%s): no DPDK port \"%s\" (not probed, or not bound "
		        "to a DPDK driver)\n",
		        idx, pc->name, name);
		return -ENODEV;
	}
	ret = rte_eth_dev_info_get(port_id, &info);
	if (ret != 0)
		return ret;
	if (pr->max_queues != 0 && nq > pr->max_queues) {
		fprintf(stderr,
		        "ports[%u] (%s): %u pipelines need %u queues, profile %s allows "
		        "%u\n",
		        idx, pc->name, nq, nq, pr->name, pr->max_queues);
		return -EINVAL;
	}
	if (nq > info.max_rx_queues || nq > info.max_tx_queues) {
		fprintf(stderr,
		        "ports[%u] (%s): %u pipelines need %u queues, the device has "
		        "%u RX / %u TX\n",
		        idx, pc->name, nq, nq, info.max_rx_queues, info.max_tx_queues);
		return -EINVAL;
	}
	if (nq > 1 && pr->rss) {
		conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
		conf.rx_adv_conf.rss_conf.rss_hf = pr->rss_hf & info.flow_type_rss_offloads;
	}
	conf.rxmode.offloads = pr->rx_offloads & info.rx_offload_capa;
	conf.txmode.offloads = pr->tx_offloads & info.tx_offload_capa;
	if ((pr->rx_offloads & ~info.rx_offload_capa) || (pr->tx_offloads & ~info.tx_offload_capa))
		printf("ports[%u] (%s): some offloads of profile %s are not supported by %s; "
		       "left off\n",
		        idx, pc->name, pr->name, info.driver_name);
	if (pc->mtu >= info.min_mtu && pc->mtu <= info.max_mtu)
		conf.rxmode.mtu = pc->mtu;
	ret = rte_eth_dev_configure(port_id, nq, nq, &conf);
	if (ret != 0) {
		fprintf(stderr, "ports[%u] (%s): configure failed: %s\n", idx, pc->name,
		        strerror(-ret));
		return ret;
	}
	rte_eth_dev_adjust_nb_rx_tx_desc(port_id, &nrx, &ntx);
	socket = rte_eth_dev_socket_id(port_id);
	if (socket < 0)
		socket = (int)rte_socket_id();
	for (unsigned int q = 0; q < nq; q++) {
		struct rte_eth_rxconf rxc = info.default_rxconf;
		struct rte_eth_txconf txc = info.default_txconf;

		rxc.offloads = conf.rxmode.offloads;
		txc.offloads = conf.txmode.offloads;
		ret = rte_eth_rx_queue_setup(port_id, q, nrx, socket, &rxc, mp);
		if (ret == 0)
			ret = rte_eth_tx_queue_setup(port_id, q, ntx, socket, &txc);
		if (ret != 0) {
			fprintf(stderr, "ports[%u] (%s): queue %u setup failed: %s\n", idx,
			        pc->name, q, strerror(-ret));
			return ret;
		}
	}
	memset(pi, 0, sizeof(*pi));
	pi->port_id = port_id;
	pi->mtu = pc->mtu;
	snprintf(pi->name, sizeof(pi->name), "%s", pc->name);
	if (pc->has_mac) {
		pi->mac = pc->mac;
		rte_eth_dev_default_mac_addr_set(port_id, &pi->mac); /* best effort */
	} else {
		rte_eth_macaddr_get(port_id, &pi->mac);
	}
	eui64_ll(&pi->mac, pi->v6_ll);
	if (pc->has_ipv4) {
		pi->has_v4 = true;
		pi->v4 = pc->ipv4.addr.v4;
		pi->link4 = connected(&pc->ipv4);
	}
	if (pc->has_ipv6) {
		pi->has_v6 = true;
		memcpy(pi->v6, pc->ipv6.addr.v6, 16);
		pi->link6 = connected(&pc->ipv6);
	}
	rte_eth_promiscuous_enable(port_id); /* dsanchor checks the MAC itself */
	return 0;
}

static int
install_config(const struct dsa_config *cfg, struct dsa_ctrl *ctrl)
{
	struct dsa_route_table *rt = ctrl->rt;
	char err[DSA_ERR_LEN], a[DSA_PREFIX_STRLEN];
	int ret;

	for (unsigned int i = 0; i < cfg->n_ports; i++) {
		const struct dsa_port_cfg *p = &cfg->ports[i];
		struct dsa_prefix c;

		if (p->has_ipv4) {
			c = connected(&p->ipv4);
			ret = dsa_route_add(rt, &c, DSA_NH_GLEAN, NULL, i, p->mtu);
			if (ret < 0)
				goto route_fail;
		}
		if (p->has_ipv6) {
			c = connected(&p->ipv6);
			ret = dsa_route_add(rt, &c, DSA_NH_GLEAN, NULL, i, p->mtu);
			if (ret < 0)
				goto route_fail;
		}
	}
	for (unsigned int i = 0; i < cfg->n_routes; i++) {
		const struct dsa_route_cfg *r = &cfg->routes[i];
		static const enum dsa_nh_type type[] = {
			[DSA_ROUTE_VIA] = DSA_NH_FWD,
			[DSA_ROUTE_HOME] = DSA_NH_HOME,
			[DSA_ROUTE_BLACKHOLE] = DSA_NH_BLACKHOLE,
		};
		uint16_t port = r->port >= 0 ? r->port : 0;

		ret = dsa_route_add(
		        rt, &r->prefix, type[r->type], &r->via, port, cfg->ports[port].mtu);
		if (ret < 0) {
			fprintf(stderr, "%s: routes[%u]: cannot install %s: %s\n", cfg->path, i,
			        dsa_prefix_fmt(&r->prefix, a, sizeof(a)), strerror(-ret));
			return ret;
		}
	}
	for (unsigned int i = 0; i < cfg->n_neighbors; i++) {
		const struct dsa_neigh_cfg *n = &cfg->neighbors[i];

		ret = dsa_route_neigh_set(rt, n->port, &n->ip, &n->mac, cfg->ports[n->port].mtu);
		if (ret < 0) {
			fprintf(stderr, "%s: neighbors[%u]: cannot install: %s\n", cfg->path, i,
			        strerror(-ret));
			return ret;
		}
	}
	for (unsigned int i = 0; i < cfg->n_bindings; i++) {
		ret = dsa_ctrl_binding_set(ctrl, &cfg->bindings[i], i, err, sizeof(err));
		if (ret < 0) {
			fprintf(stderr, "%s: bindings[%u]: %s\n", cfg->path, i, err);
			return ret;
		}
	}
	return 0;
route_fail:
	fprintf(stderr, "%s: ports: cannot install connected routes: %s\n", cfg->path,
	        strerror(-ret));
	return ret;
}

static void
print_counters(const struct dsa_ctrl *ctrl, const struct dsa_config *cfg)
{
	struct dsa_lcore_stats s;
	struct dsa_bind_stats bs;

	dsa_ctrl_sum_stats(ctrl, &s);
	dsa_bind_stats_get(ctrl->bt, &bs);
	printf("dsanchor: final counters\n");
	for (int i = 0; i < DSA_CNT_MAX; i++)
		if (s.cnt[i] != 0)
			printf("  %-22s %12" PRIu64 "  %s\n", dsa_counter_names[i], s.cnt[i],
			        dsa_counter_help[i]);
	for (int i = 1; i < DSA_DROP_MAX; i++)
		if (s.drop[i] != 0)
			printf("  drop.%-17s %12" PRIu64 "  %s\n", dsa_drop_names[i], s.drop[i],
			        dsa_drop_help[i]);
	for (int i = 0; i < DSA_CTRL_MAX; i++)
		if (ctrl->stats[i] != 0)
			printf("  ctrl.%-17s %12" PRIu64 "\n", dsa_ctrl_counter_names[i],
			        ctrl->stats[i]);
	for (unsigned int p = 0; p < ctrl->n_pipelines && ctrl->n_pipelines > 1; p++) {
		const struct dsa_lcore_stats *ps = &ctrl->pipelines[p].stats;
		uint64_t drops = 0;

		for (int i = 1; i < DSA_DROP_MAX; i++)
			drops += ps->drop[i];
		printf("  pipeline %u (lcore %u): rx %" PRIu64 " tx %" PRIu64 " drops %" PRIu64
		       " busy_polls %" PRIu64 " idle_polls %" PRIu64 "\n",
		        p, ctrl->pipelines[p].lcore_id, ps->cnt[DSA_CNT_RX], ps->cnt[DSA_CNT_TX],
		        drops, ps->busy_polls, ps->idle_polls);
	}
	if (ctrl->lma != NULL) {
		uint64_t ls[DSA_LMA_MAX];

		dsa_lma_stats(ctrl->lma, ls);
		for (int i = 0; i < DSA_LMA_MAX; i++)
			if (ls[i] != 0)
				printf("  lma.%-18s %12" PRIu64 "\n", dsa_lma_counter_names[i],
				        ls[i]);
	}
	printf("  bindings: ipv4 %u, ipv6_prefix %u, ipv6_host %u (generation %u)\n",
	        bs.count[DSA_BIND_V4], bs.count[DSA_BIND_V6P], bs.count[DSA_BIND_V6H], bs.gen);
	for (unsigned int i = 0; i < cfg->n_ports; i++) {
		struct rte_eth_stats es;

		if (rte_eth_stats_get(ctrl->dp->ports[i].port_id, &es) == 0)
			printf("  port %-8s rx %" PRIu64 " tx %" PRIu64 " missed %" PRIu64
			       " rx_err %" PRIu64 " tx_err %" PRIu64 "\n",
			        cfg->ports[i].name, es.ipackets, es.opackets, es.imissed,
			        es.ierrors, es.oerrors);
	}
	fflush(stdout);
}

int
main(int argc, char **argv)
{
	struct opts o = { 0 };
	struct dsa_config cfg;
	char err[DSA_ERR_LEN];
	int split = -1, eal_argc, ret, exit_code = 1;
	char **eal_argv;
	static struct dsa_dp dp;
	static struct dsa_ctrl ctrl;
	struct dsa_pipeline *pls = NULL;
	struct rte_rcu_qsbr *qsv = NULL;
	struct rte_ring *rings[DSA_MAX_PIPELINES];
	unsigned int nq, lcore, k;
	size_t qsz;

	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--") == 0) {
			split = i;
			break;
		}
	/* App options follow "--" (DPDK's convention); without it all are ours. */
	if (split >= 0) {
		argv[split] = argv[0];
		ret = parse_opts(argc - split, argv + split, &o);
	} else {
		ret = parse_opts(argc, argv, &o);
	}
	if (ret != 0)
		return 2;

	ret = o.config != NULL
	              ? dsa_config_load_file(o.config, o.profiles, &cfg, err, sizeof(err))
	              : dsa_config_load_string(dsa_config_embedded, "<embedded demo config>",
	                        o.profiles, &cfg, err, sizeof(err));
	if (ret != 0) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	if (o.check) {
		printf("%s: ok (%s, %u ports, %u routes, %u bindings)\n", cfg.path,
		        dsa_role_name(cfg.role), cfg.n_ports, cfg.n_routes, cfg.n_bindings);
		dsa_config_free(&cfg);
		return 0;
	}

	eal_argv = eal_args(&cfg, split > 0 ? split - 1 : 0, argv + 1, argv[0], &eal_argc);
	if (eal_argv == NULL)
		return 1;
	ret = rte_eal_init(eal_argc, eal_argv);
	if (ret < 0) {
		fprintf(stderr, "EAL init failed: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	rte_log_set_global_level(cfg.log_level);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);

	if (rte_lcore_count() < 1 + cfg.lcores.n_pipelines) {
		fprintf(stderr,
		        "%s: lcores: %u pipelines and one control lcore need %u lcores, "
		        "EAL has %u\n",
		        cfg.path, cfg.lcores.n_pipelines, cfg.lcores.n_pipelines + 1,
		        rte_lcore_count());
		goto out;
	}
	nq = cfg.lcores.n_pipelines;

	/* Shared data-plane context. */
	dp.tun.ttl = cfg.tunnel.ttl;
	dp.tun.hop_limit = cfg.tunnel.hop_limit;
	dp.tun.ecn_compat = cfg.tunnel.ecn_compat;
	dp.icmp_rate = cfg.tunnel.icmp_rate;
	dp.icmp_burst = cfg.tunnel.icmp_burst;
	dp.punt_src_rate = cfg.punt.src_rate;
	dp.punt_src_burst = cfg.punt.src_burst;
	dp.punt_rate = cfg.punt.rate;
	dp.punt_burst = cfg.punt.burst;
	dp.frag_entries = cfg.mem.frag_entries;
	dp.frag_timeout_ms = cfg.mem.frag_timeout_ms;
	dp.idle_mode = cfg.idle.mode;
	dp.idle_spin_polls = cfg.idle.spin_polls;
	dp.idle_sleep_us = cfg.idle.sleep_us;
	{
		uint16_t max_mtu = 1500;
		unsigned int room;

		for (unsigned int i = 0; i < cfg.n_ports; i++)
			max_mtu = RTE_MAX(max_mtu, cfg.ports[i].mtu);
		room = RTE_MAX((unsigned int)RTE_MBUF_DEFAULT_BUF_SIZE,
		        RTE_PKTMBUF_HEADROOM + max_mtu + RTE_ETHER_HDR_LEN + 4u);
		dp.pool = rte_pktmbuf_pool_create(
		        "mbufs", cfg.mem.mbufs, 256, 0, room, rte_socket_id());
		dp.indirect_pool = rte_pktmbuf_pool_create(
		        "indirect", cfg.mem.mbufs / 4, 32, 0, 0, rte_socket_id());
		if (dp.pool == NULL || dp.indirect_pool == NULL) {
			fprintf(stderr, "%s: memory.mbufs: cannot allocate %u mbufs: %s\n",
			        cfg.path, cfg.mem.mbufs, rte_strerror(rte_errno));
			goto out;
		}
	}
	memset(dp.port_idx, 0xff, sizeof(dp.port_idx));
	for (unsigned int i = 0; i < cfg.n_local; i++) {
		if (cfg.local[i].af == AF_INET)
			dp.local4[dp.n_local4++] = cfg.local[i].v4;
		else
			memcpy(dp.local6[dp.n_local6++], cfg.local[i].v6, 16);
	}
	for (unsigned int i = 0; i < cfg.n_ports; i++) {
		if (port_setup(&cfg, i, nq, dp.pool, &dp.ports[i]) != 0)
			goto out;
		dp.port_idx[dp.ports[i].port_id] = i;
		if (dp.ports[i].has_v4)
			dp.local4[dp.n_local4++] = dp.ports[i].v4;
		if (dp.ports[i].has_v6)
			memcpy(dp.local6[dp.n_local6++], dp.ports[i].v6, 16);
		memcpy(dp.local6[dp.n_local6++], dp.ports[i].v6_ll, 16);
		dp.n_ports++; /* set up: stopped and closed on the way out */
	}

	qsz = rte_rcu_qsbr_get_memsize(nq);
	qsv = rte_zmalloc("qsbr", qsz, RTE_CACHE_LINE_SIZE);
	if (qsv == NULL || rte_rcu_qsbr_init(qsv, nq) != 0)
		goto out;
	dp.qsv = qsv;

	pls = rte_zmalloc("pipelines", sizeof(*pls) * nq, RTE_CACHE_LINE_SIZE);
	if (pls == NULL)
		goto out;
	/* Pipeline lcores: the configured ones, else the first workers. */
	lcore = -1;
	for (k = 0; k < nq; k++) {
		int want = cfg.lcores.pipelines[k];

		if (want >= 0) {
			if (!rte_lcore_is_enabled(want) ||
			        (unsigned int)want == rte_get_main_lcore()) {
				fprintf(stderr,
				        "%s: lcores.pipelines[%u]: lcore %d is not an "
				        "EAL worker lcore\n",
				        cfg.path, k, want);
				goto out;
			}
			lcore = want;
		} else {
			lcore = rte_get_next_lcore(lcore, 1, 0);
		}
		if (dsa_pipeline_init(&pls[k], &dp, k, lcore, &running) != 0)
			goto out;
		rings[k] = pls[k].update;
	}

	{
		struct dsa_route_params rp = { .name = "rt",
			.socket_id = rte_socket_id(),
			.max_routes = 1 << 16,
			.max_nh = 1 << 14 };
		struct dsa_bind_params bp = { .name = "bind",
			.socket_id = rte_socket_id(),
			.n_v4 = cfg.tables.ipv4,
			.n_v6p = cfg.tables.ipv6_prefix,
			.n_v6h = cfg.tables.ipv6_host,
			.qsv = qsv,
			.n_rings = nq,
			.rings = rings };

		dp.rt = dsa_route_create(&rp);
		dp.bt = dsa_bind_create(&bp);
		if (dp.rt == NULL || dp.bt == NULL) {
			fprintf(stderr, "%s: tables: cannot create: %s\n", cfg.path,
			        rte_strerror(rte_errno));
			goto out;
		}
		dp.nh = dsa_route_nh_table(dp.rt);
	}

	ctrl.dp = &dp;
	ctrl.rt = dp.rt;
	ctrl.bt = dp.bt;
	ctrl.n_pipelines = nq;
	ctrl.pipelines = pls;
	ctrl.running = &running;
	ctrl.idle_mode = cfg.idle.mode;
	ctrl.idle_sleep_us = cfg.idle.sleep_us;
	ctrl.idle_exit_cycles = (uint64_t)o.idle_exit_ms * (rte_get_tsc_hz() / 1000);
	for (unsigned int i = 0; i < cfg.n_local; i++) {
		if (cfg.local[i].af == AF_INET && !ctrl.has_anchor4) {
			ctrl.has_anchor4 = true;
			ctrl.anchor4 = cfg.local[i].v4;
		} else if (cfg.local[i].af == AF_INET6 && !ctrl.has_anchor6) {
			ctrl.has_anchor6 = true;
			memcpy(ctrl.anchor6, cfg.local[i].v6, 16);
		}
	}
	if (install_config(&cfg, &ctrl) != 0)
		goto out;
	if (cfg.role == DSA_ROLE_LMA) {
		ctrl.lma = dsa_lma_create(&ctrl, &cfg);
		if (ctrl.lma == NULL) {
			fprintf(stderr, "%s: profiles: cannot create the LMA: %s\n", cfg.path,
			        rte_strerror(rte_errno));
			goto out;
		}
	}
	/* Notices for the static bindings need no pipeline action before start. */
	for (k = 0; k < nq; k++)
		rte_ring_reset(pls[k].update);

	for (unsigned int i = 0; i < cfg.n_ports; i++) {
		ret = rte_eth_dev_start(dp.ports[i].port_id);
		if (ret != 0) {
			fprintf(stderr, "ports[%u] (%s): start failed: %s\n", i, cfg.ports[i].name,
			        strerror(-ret));
			goto out;
		}
	}
	if (!o.quiet)
		printf("dsanchor: role %s, %u port(s), %u pipeline(s), %u binding(s) from %s; "
		       "running (Ctrl-C stops)\n",
		        dsa_role_name(cfg.role), cfg.n_ports, nq, cfg.n_bindings, cfg.path);
	fflush(stdout);

	for (k = 0; k < nq; k++)
		rte_eal_remote_launch(dsa_pipeline_main, &pls[k], pls[k].lcore_id);
	dsa_ctrl_run(&ctrl);

	/* Stop: pipelines leave their RX loop, drain and return. */
	running = false;
	rte_eal_mp_wait_lcore();
	for (k = 0; k < nq; k++) {
		struct rte_mbuf *m = NULL;

		while (rte_ring_sc_dequeue(pls[k].punt, (void **)&m) == 0)
			rte_pktmbuf_free(m);
	}
	print_counters(&ctrl, &cfg);
	exit_code = 0;

out:
	running = false;
	rte_eal_mp_wait_lcore();
	for (unsigned int i = 0; i < dp.n_ports; i++) {
		rte_eth_dev_stop(dp.ports[i].port_id);
		rte_eth_dev_close(dp.ports[i].port_id);
	}
	if (pls != NULL)
		for (k = 0; k < nq; k++)
			dsa_pipeline_fini(&pls[k]);
	dsa_lma_free(ctrl.lma);
	dsa_bind_free(dp.bt);
	dsa_route_free(dp.rt);
	rte_free(pls);
	rte_free(qsv);
	dsa_config_free(&cfg);
	rte_eal_cleanup();
	return exit_code;
}
