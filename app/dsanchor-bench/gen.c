/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * dsanchor-bench memif-gen: generator and sink on one lcore, over two memif server ports.
 * See gen.h for the design note.
 */

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <rte_byteorder.h>
#include <rte_cycles.h>
#include <rte_dev.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_lcore.h>
#include <rte_log.h>
#include <rte_mbuf.h>
#include <rte_udp.h>

#include "bench.h"
#include "gen.h"

#define GEN_BURST_MAX  64
#define GEN_RX_DESC    1024
#define GEN_TX_DESC    1024
#define GEN_POOL_MBUFS 8191
#define GEN_POOL_CACHE 256
#define GEN_FLOWS_MAX  32768
/* A template's reference count is topped up to REF_HIGH when it falls below REF_LOW, so it
 * never reaches 1 and tx never returns it to its pool. */
#define GEN_REF_HIGH 16384
#define GEN_REF_LOW  1024
#define GEN_DRAIN_MS 100

#define GEN_DEFAULT_SOCKDIR "/tmp/dsanchor-bench"

/* Synthesised flows (no --pcap): direction d sends UDP from SRC(d) to DST_BASE + d * 2^15 + i.
 * These match the l3fwd exact-match rules that --write-l3fwd-rules writes. */
#define GEN_SYN_DST_BASE RTE_IPV4(198, 18, 0, 0)
#define GEN_SYN_SRC(d)   RTE_IPV4(198, 19, 0, 1 + (d))
#define GEN_SYN_SPORT    1024
#define GEN_SYN_DPORT    9

struct gen_opts {
	char socket[2][PATH_MAX];
	uint32_t id[2];
	struct rte_ether_addr mac[2];
	struct rte_ether_addr dst_mac[2];
	bool have_dst_mac[2];
	const char *pcap[2];
	uint32_t pkt_size;
	uint32_t flows;
	uint32_t max_frames;
	double duration;
	double warmup;
	double link_timeout;
	double pps;
	uint32_t burst;
	uint32_t rsize;
	double tx_backoff_us;
	double interval;
	double hold;
	double slot;
	bool bidir;
	const char *l3fwd_rules;
};

/* One transmit direction: what goes out of tx_port comes back on the other port. */
struct gen_dir {
	struct rte_mbuf **ring; /* n + burst entries; ring[i] = template i % n */
	uint32_t n;
	uint32_t next;
	uint16_t tx_port;
	struct rte_mempool *pool;
	uint64_t tx_pkts;
	uint64_t tx_bytes;
	uint64_t tx_full;     /* packets tx_burst refused: the DUT is not keeping up */
	uint64_t frame_bytes; /* sum of template lengths, for the mean size */
	uint64_t next_try;    /* TSC before which tx waits, after a full ring */
	double tokens;        /* --pps: packets that may be sent now */
	uint64_t last_fill;   /* --pps: when tokens were last added */
};

struct gen_counts {
	uint64_t tx_pkts[2];
	uint64_t tx_bytes[2];
	uint64_t tx_full[2];
	uint64_t rx_pkts[2]; /* by receiving port */
	uint64_t rx_bytes[2];
	uint64_t loops;
	uint64_t idle_loops; /* loops that neither sent nor received: spare generator capacity */
};

/* Packets received in each slot (--slot) of the measured interval. */
struct gen_slots {
	uint64_t *rx;
	uint32_t n;
	uint32_t max;
	double secs; /* length of one slot */
};

static volatile sig_atomic_t quit;

static void
on_signal(int sig)
{
	(void)sig;
	quit = 1;
}

static const char usage_text[] =
        "usage: %s [EAL args] -- [options]\n"
        "\n"
        "Creates two net_memif ports in server role, waits for the DUT to connect to\n"
        "both, sends on port 0 and counts what arrives on port 1 (and the reverse with\n"
        "--bidir), on one lcore. Prints one JSON object on stdout; EAL logs go to stderr.\n"
        "\n"
        "  --socket-dir DIR     memif sockets DIR/gen0.sock and DIR/gen1.sock [%s]\n"
        "  --socket0 PATH       socket of port 0 (overrides --socket-dir)\n"
        "  --socket1 PATH       socket of port 1 (overrides --socket-dir)\n"
        "  --id0 N, --id1 N     memif interface ids [0, 1]\n"
        "  --mac0 MAC, --mac1 MAC  the generator's MACs [02:00:00:00:ee:00, :01]\n"
        "  --dst-mac MAC        destination MAC of frames sent on port 0 (the DUT port's);\n"
        "                       default: broadcast for synthesised frames, the pcap's own\n"
        "                       for pcap frames\n"
        "  --dst-mac1 MAC       the same for frames sent on port 1 (--bidir)\n"
        "  --pcap FILE          frames to send on port 0, cycled in file order\n"
        "  --pcap1 FILE         frames to send on port 1 with --bidir [those of port 0]\n"
        "  --pkt-size N         without --pcap: UDP/IPv4 frame length, no FCS [64]\n"
        "  --flows N            without --pcap: flows per direction, at most %u [256]\n"
        "  --max-frames N       read at most N frames of a pcap [65536]\n"
        "  --duration S         measured seconds [10]\n"
        "  --warmup S           seconds of traffic before measuring [2]\n"
        "  --link-timeout S     give up if the DUT has not connected by then [30]\n"
        "  --pps N              offered packets/s per direction [0: as fast as possible]\n"
        "  --burst N            tx/rx burst, at most %u [32]\n"
        "  --rsize N            log2 of the memif ring size offered [driver default]\n"
        "  --tx-backoff US      after the DUT refused a burst, wait this long [2]\n"
        "  --slot S             rx rate percentiles over slots of S seconds [0.1]\n"
        "  --interval S         also print the rates every S seconds on stderr [0: no]\n"
        "  --hold S             after the result, keep the ports up for S seconds or until\n"
        "                       SIGINT/SIGTERM, so that the DUT can be stopped first (a\n"
        "                       memif client that loses its server while polling may\n"
        "                       crash) [0]\n"
        "  --bidir              also send on port 1 and count on port 0\n"
        "  --write-l3fwd-rules PREFIX  write PREFIX.v4 and PREFIX.v6, l3fwd exact-match\n"
        "                       rules for the synthesised flows, and exit (no EAL)\n"
        "  --help\n"
        "\n"
        "JSON: tx_pkts, rx_pkts: counted over the measured interval (rx on port 1, or on\n"
        "both ports with --bidir); tx_mpps, rx_mpps, tx_gbps, rx_gbps: means over it (frame\n"
        "bytes, no FCS or preamble); rx_mpps_p50, rx_mpps_p90: percentiles of the rx rate\n"
        "over its slots; duration_s; pkt_size: mean frame length sent; frames: templates;\n"
        "tx_full: packets the DUT's ring refused; rx_back_pkts: without --bidir, packets\n"
        "that came back on port 0; gen_idle: share of loops that neither sent nor\n"
        "received (near 0: the generator may be the limit, not the DUT); pps_limit;\n"
        "hugepages.\n";

static void
usage(FILE *f, const char *prog)
{
	fprintf(f, usage_text, prog, GEN_DEFAULT_SOCKDIR, GEN_FLOWS_MAX, GEN_BURST_MAX);
}

static int
parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno != 0 || end == s || *end != '\0' || v < min || v > max)
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

static int
parse_num(const char *s, double max, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || end == s || *end != '\0' || !(v >= 0) || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

enum {
	OPT_SOCKET_DIR = 256,
	OPT_SOCKET0,
	OPT_SOCKET1,
	OPT_ID0,
	OPT_ID1,
	OPT_MAC0,
	OPT_MAC1,
	OPT_DST_MAC,
	OPT_DST_MAC1,
	OPT_PCAP,
	OPT_PCAP1,
	OPT_PKT_SIZE,
	OPT_FLOWS,
	OPT_MAX_FRAMES,
	OPT_DURATION,
	OPT_WARMUP,
	OPT_LINK_TIMEOUT,
	OPT_PPS,
	OPT_BURST,
	OPT_RSIZE,
	OPT_TX_BACKOFF,
	OPT_INTERVAL,
	OPT_HOLD,
	OPT_SLOT,
	OPT_BIDIR,
	OPT_L3FWD_RULES,
	OPT_HELP,
};

static const struct option long_opts[] = {
	{ "socket-dir", required_argument, NULL, OPT_SOCKET_DIR },
	{ "socket0", required_argument, NULL, OPT_SOCKET0 },
	{ "socket1", required_argument, NULL, OPT_SOCKET1 },
	{ "id0", required_argument, NULL, OPT_ID0 },
	{ "id1", required_argument, NULL, OPT_ID1 },
	{ "mac0", required_argument, NULL, OPT_MAC0 },
	{ "mac1", required_argument, NULL, OPT_MAC1 },
	{ "dst-mac", required_argument, NULL, OPT_DST_MAC },
	{ "dst-mac1", required_argument, NULL, OPT_DST_MAC1 },
	{ "pcap", required_argument, NULL, OPT_PCAP },
	{ "pcap1", required_argument, NULL, OPT_PCAP1 },
	{ "pkt-size", required_argument, NULL, OPT_PKT_SIZE },
	{ "flows", required_argument, NULL, OPT_FLOWS },
	{ "max-frames", required_argument, NULL, OPT_MAX_FRAMES },
	{ "duration", required_argument, NULL, OPT_DURATION },
	{ "warmup", required_argument, NULL, OPT_WARMUP },
	{ "link-timeout", required_argument, NULL, OPT_LINK_TIMEOUT },
	{ "pps", required_argument, NULL, OPT_PPS },
	{ "burst", required_argument, NULL, OPT_BURST },
	{ "rsize", required_argument, NULL, OPT_RSIZE },
	{ "tx-backoff", required_argument, NULL, OPT_TX_BACKOFF },
	{ "interval", required_argument, NULL, OPT_INTERVAL },
	{ "hold", required_argument, NULL, OPT_HOLD },
	{ "slot", required_argument, NULL, OPT_SLOT },
	{ "bidir", no_argument, NULL, OPT_BIDIR },
	{ "write-l3fwd-rules", required_argument, NULL, OPT_L3FWD_RULES },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

/* Returns 0, 1 if the program should exit successfully (--help), or -EINVAL. */
static int
parse_opts(int argc, char **argv, const char *prog, struct gen_opts *o)
{
	const char *sockdir = GEN_DEFAULT_SOCKDIR;
	const char *sock[2] = { NULL, NULL };
	int opt, i;

	memset(o, 0, sizeof(*o));
	o->id[1] = 1;
	o->pkt_size = 64;
	o->flows = 256;
	o->max_frames = 65536;
	o->duration = 10;
	o->warmup = 2;
	o->link_timeout = 30;
	o->burst = 32;
	o->tx_backoff_us = 2;
	o->slot = 0.1;
	for (i = 0; i < 2; i++) {
		static const uint8_t base[RTE_ETHER_ADDR_LEN] = { 0x02, 0, 0, 0, 0xee, 0 };

		memcpy(o->mac[i].addr_bytes, base, sizeof(base));
		o->mac[i].addr_bytes[5] = i;
	}

	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", long_opts, NULL)) != -1) {
		int ret = 0;

		switch (opt) {
		case OPT_SOCKET_DIR:
			sockdir = optarg;
			break;
		case OPT_SOCKET0:
		case OPT_SOCKET1:
			sock[opt - OPT_SOCKET0] = optarg;
			break;
		case OPT_ID0:
		case OPT_ID1:
			ret = parse_u32(optarg, 0, UINT32_MAX, &o->id[opt - OPT_ID0]);
			break;
		case OPT_MAC0:
		case OPT_MAC1:
			ret = rte_ether_unformat_addr(optarg, &o->mac[opt - OPT_MAC0]);
			break;
		case OPT_DST_MAC:
		case OPT_DST_MAC1:
			ret = rte_ether_unformat_addr(optarg, &o->dst_mac[opt - OPT_DST_MAC]);
			o->have_dst_mac[opt - OPT_DST_MAC] = true;
			break;
		case OPT_PCAP:
		case OPT_PCAP1:
			o->pcap[opt - OPT_PCAP] = optarg;
			break;
		case OPT_PKT_SIZE:
			ret = parse_u32(optarg, 60, GEN_FRAME_MAX, &o->pkt_size);
			break;
		case OPT_FLOWS:
			ret = parse_u32(optarg, 1, GEN_FLOWS_MAX, &o->flows);
			break;
		case OPT_MAX_FRAMES:
			ret = parse_u32(optarg, 1, 1u << 24, &o->max_frames);
			break;
		case OPT_DURATION:
			ret = parse_num(optarg, 86400, &o->duration);
			if (ret == 0 && o->duration <= 0)
				ret = -EINVAL;
			break;
		case OPT_WARMUP:
			ret = parse_num(optarg, 86400, &o->warmup);
			break;
		case OPT_LINK_TIMEOUT:
			ret = parse_num(optarg, 86400, &o->link_timeout);
			break;
		case OPT_PPS:
			ret = parse_num(optarg, 1e10, &o->pps);
			break;
		case OPT_BURST:
			ret = parse_u32(optarg, 1, GEN_BURST_MAX, &o->burst);
			break;
		case OPT_RSIZE:
			ret = parse_u32(optarg, 1, 14, &o->rsize);
			break;
		case OPT_TX_BACKOFF:
			ret = parse_num(optarg, 1e6, &o->tx_backoff_us);
			break;
		case OPT_INTERVAL:
			ret = parse_num(optarg, 3600, &o->interval);
			break;
		case OPT_HOLD:
			ret = parse_num(optarg, 86400, &o->hold);
			break;
		case OPT_SLOT:
			ret = parse_num(optarg, 3600, &o->slot);
			if (ret == 0 && o->slot < 0.001)
				ret = -EINVAL;
			break;
		case OPT_BIDIR:
			o->bidir = true;
			break;
		case OPT_L3FWD_RULES:
			o->l3fwd_rules = optarg;
			break;
		case 'h':
		case OPT_HELP:
			usage(stdout, prog);
			return 1;
		default:
			usage(stderr, prog);
			return -EINVAL;
		}
		if (ret != 0) {
			fprintf(stderr, "%s: invalid value '%s' for --%s\n", prog, optarg,
			        long_opts[opt - OPT_SOCKET_DIR].name);
			return -EINVAL;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "%s: unexpected argument '%s'\n", prog, argv[optind]);
		return -EINVAL;
	}
	for (i = 0; i < 2; i++) {
		int n;

		if (sock[i] != NULL)
			n = snprintf(o->socket[i], sizeof(o->socket[i]), "%s", sock[i]);
		else
			n = snprintf(
			        o->socket[i], sizeof(o->socket[i]), "%s/gen%d.sock", sockdir, i);
		/* memif keeps the path in a sockaddr_un */
		if (n < 0 || n >= 108) {
			fprintf(stderr, "%s: socket path of port %d is too long\n", prog, i);
			return -EINVAL;
		}
	}
	if (strcmp(o->socket[0], o->socket[1]) == 0 && o->id[0] == o->id[1]) {
		fprintf(stderr, "%s: both ports use socket %s and id %u\n", prog, o->socket[0],
		        o->id[0]);
		return -EINVAL;
	}
	return 0;
}

static void
syn_addrs(uint32_t d, uint32_t i, uint32_t *src, uint32_t *dst)
{
	*src = GEN_SYN_SRC(d);
	*dst = GEN_SYN_DST_BASE + (d << 15) + i;
}

static int
write_l3fwd_rules(const struct gen_opts *o)
{
	char path[PATH_MAX];
	uint32_t d, i;
	FILE *f;

	snprintf(path, sizeof(path), "%s.v4", o->l3fwd_rules);
	f = fopen(path, "w");
	if (f == NULL)
		goto fail;
	fprintf(f,
	        "# dsanchor-bench memif-gen synthesised flows: dst src dport sport proto port\n");
	for (d = 0; d < 2; d++) {
		for (i = 0; i < o->flows; i++) {
			uint32_t src, dst;

			syn_addrs(d, i, &src, &dst);
			fprintf(f, "R%u.%u.%u.%u %u.%u.%u.%u %u %u 0x11 %u\n", dst >> 24,
			        (dst >> 16) & 0xff, (dst >> 8) & 0xff, dst & 0xff, src >> 24,
			        (src >> 16) & 0xff, (src >> 8) & 0xff, src & 0xff, GEN_SYN_DPORT,
			        GEN_SYN_SPORT, 1 - d);
		}
	}
	if (fclose(f) != 0)
		goto fail;

	/* l3fwd only reads rule files when it gets both; the generator sends no IPv6. */
	snprintf(path, sizeof(path), "%s.v6", o->l3fwd_rules);
	f = fopen(path, "w");
	if (f == NULL)
		goto fail;
	fprintf(f, "R2001:200:: 2001:200::1 %u %u 0x11 1\n", GEN_SYN_DPORT, GEN_SYN_SPORT);
	if (fclose(f) != 0)
		goto fail;
	return 0;
fail:
	fprintf(stderr, "memif-gen: cannot write %s: %s\n", path, strerror(errno));
	return -errno;
}

/* ---- pcap reader ---- */

#define PCAP_MAGIC_US   0xa1b2c3d4
#define PCAP_MAGIC_NS   0xa1b23c4d
#define PCAP_LINK_ETHER 1

struct pcap_file_hdr {
	uint32_t magic;
	uint16_t version_major;
	uint16_t version_minor;
	int32_t thiszone;
	uint32_t sigfigs;
	uint32_t snaplen;
	uint32_t linktype;
};

struct pcap_rec_hdr {
	uint32_t ts_sec;
	uint32_t ts_frac;
	uint32_t incl_len;
	uint32_t orig_len;
};

void
gen_frames_free(struct gen_frames *f)
{
	uint32_t i;

	if (f->data != NULL)
		for (i = 0; i < f->n; i++)
			free(f->data[i]);
	free(f->data);
	free(f->len);
	memset(f, 0, sizeof(*f));
}

int
gen_pcap_read(const char *path, uint32_t max, struct gen_frames *out, FILE *err)
{
	struct pcap_file_hdr fh;
	struct pcap_rec_hdr rh;
	uint32_t cap = 0;
	bool swap;
	FILE *f;
	int ret;

	memset(out, 0, sizeof(*out));
	f = fopen(path, "rb");
	if (f == NULL) {
		ret = -errno;
		if (err != NULL)
			fprintf(err, "%s: %s\n", path, strerror(errno));
		return ret;
	}
	if (fread(&fh, sizeof(fh), 1, f) != 1)
		goto not_pcap;
	if (fh.magic == PCAP_MAGIC_US || fh.magic == PCAP_MAGIC_NS)
		swap = false;
	else if (fh.magic == rte_bswap32(PCAP_MAGIC_US) || fh.magic == rte_bswap32(PCAP_MAGIC_NS))
		swap = true;
	else
		goto not_pcap;
	if ((swap ? rte_bswap32(fh.linktype) : fh.linktype) != PCAP_LINK_ETHER) {
		if (err != NULL)
			fprintf(err, "%s: link type is not Ethernet\n", path);
		ret = -EINVAL;
		goto fail;
	}

	while (out->n < max && fread(&rh, sizeof(rh), 1, f) == 1) {
		uint32_t incl = swap ? rte_bswap32(rh.incl_len) : rh.incl_len;
		uint32_t orig = swap ? rte_bswap32(rh.orig_len) : rh.orig_len;
		uint8_t *data;

		if (incl > GEN_FRAME_MAX || orig > GEN_FRAME_MAX) {
			if (err != NULL)
				fprintf(err, "%s: frame %u is %u bytes, more than %u\n", path,
				        out->n + 1, orig, GEN_FRAME_MAX);
			ret = -E2BIG;
			goto fail;
		}
		if (incl != orig || incl < RTE_ETHER_HDR_LEN) {
			if (err != NULL)
				fprintf(err, "%s: frame %u is truncated or runt\n", path,
				        out->n + 1);
			ret = -EINVAL;
			goto fail;
		}
		if (out->n == cap) {
			uint32_t ncap = cap ? cap * 2 : 256;
			uint8_t **nd = realloc(out->data, ncap * sizeof(*nd));
			uint16_t *nl;

			if (nd == NULL)
				goto nomem;
			out->data = nd;
			nl = realloc(out->len, ncap * sizeof(*nl));
			if (nl == NULL)
				goto nomem;
			out->len = nl;
			cap = ncap;
		}
		data = malloc(incl);
		if (data == NULL)
			goto nomem;
		if (fread(data, incl, 1, f) != 1) {
			free(data);
			if (err != NULL)
				fprintf(err, "%s: file ends inside frame %u\n", path, out->n + 1);
			ret = -EINVAL;
			goto fail;
		}
		out->data[out->n] = data;
		out->len[out->n] = (uint16_t)incl;
		out->n++;
		out->bytes += incl;
		if (incl > out->max_len)
			out->max_len = incl;
	}
	fclose(f);
	if (out->n == 0) {
		if (err != NULL)
			fprintf(err, "%s: no frame\n", path);
		return -ENODATA;
	}
	return 0;

not_pcap:
	if (err != NULL)
		fprintf(err, "%s: not a pcap file\n", path);
	ret = -EINVAL;
	goto fail;
nomem:
	ret = -ENOMEM;
fail:
	fclose(f);
	gen_frames_free(out);
	return ret;
}

/* ---- templates ---- */

static void
syn_frame(const struct gen_opts *o, uint32_t d, uint32_t i, uint8_t *p)
{
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)p;
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eth + 1);
	struct rte_udp_hdr *udp = (struct rte_udp_hdr *)(ip + 1);
	uint16_t ip_len = (uint16_t)(o->pkt_size - RTE_ETHER_HDR_LEN);
	uint32_t src, dst;

	memset(p, 0, o->pkt_size);
	if (o->have_dst_mac[d])
		rte_ether_addr_copy(&o->dst_mac[d], &eth->dst_addr);
	else
		memset(&eth->dst_addr, 0xff, sizeof(eth->dst_addr));
	rte_ether_addr_copy(&o->mac[d], &eth->src_addr);
	eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);

	syn_addrs(d, i, &src, &dst);
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->total_length = rte_cpu_to_be_16(ip_len);
	ip->packet_id = rte_cpu_to_be_16((uint16_t)i);
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_UDP;
	ip->src_addr = rte_cpu_to_be_32(src);
	ip->dst_addr = rte_cpu_to_be_32(dst);
	ip->hdr_checksum = rte_ipv4_cksum(ip);

	udp->src_port = rte_cpu_to_be_16(GEN_SYN_SPORT);
	udp->dst_port = rte_cpu_to_be_16(GEN_SYN_DPORT);
	udp->dgram_len = rte_cpu_to_be_16((uint16_t)(ip_len - sizeof(*ip)));
	udp->dgram_cksum = rte_ipv4_udptcp_cksum(ip, udp);
}

static int
syn_frames(const struct gen_opts *o, uint32_t d, struct gen_frames *out)
{
	uint32_t i;

	memset(out, 0, sizeof(*out));
	out->data = calloc(o->flows, sizeof(*out->data));
	out->len = calloc(o->flows, sizeof(*out->len));
	if (out->data == NULL || out->len == NULL)
		goto nomem;
	for (i = 0; i < o->flows; i++) {
		out->data[i] = malloc(o->pkt_size);
		if (out->data[i] == NULL)
			goto nomem;
		out->n = i + 1;
		out->len[i] = (uint16_t)o->pkt_size;
		syn_frame(o, d, i, out->data[i]);
		out->bytes += o->pkt_size;
	}
	out->max_len = o->pkt_size;
	return 0;
nomem:
	gen_frames_free(out);
	return -ENOMEM;
}

static int
dir_init(struct gen_dir *dir, const struct gen_opts *o, uint32_t d, const struct gen_frames *f)
{
	char name[RTE_MEMPOOL_NAMESIZE];
	uint16_t room;
	uint32_t i;

	dir->tx_port = (uint16_t)d;
	room = (uint16_t)(RTE_PKTMBUF_HEADROOM + RTE_ALIGN_CEIL(f->max_len, 64));
	snprintf(name, sizeof(name), "gen_tmpl%u", d);
	dir->pool = rte_pktmbuf_pool_create(name, f->n, 0, 0, room, rte_socket_id());
	if (dir->pool == NULL) {
		fprintf(stderr, "memif-gen: template pool of %u frames: %s\n", f->n,
		        rte_strerror(rte_errno));
		return -rte_errno;
	}
	dir->ring = calloc(f->n + o->burst, sizeof(*dir->ring));
	if (dir->ring == NULL)
		return -ENOMEM;
	for (i = 0; i < f->n; i++) {
		struct rte_mbuf *m = rte_pktmbuf_alloc(dir->pool);
		uint8_t *p;

		if (m == NULL)
			return -ENOMEM;
		p = (uint8_t *)rte_pktmbuf_append(m, f->len[i]);
		memcpy(p, f->data[i], f->len[i]);
		if (o->have_dst_mac[d])
			rte_ether_addr_copy(&o->dst_mac[d], &((struct rte_ether_hdr *)p)->dst_addr);
		m->port = (uint16_t)d;
		rte_mbuf_refcnt_set(m, GEN_REF_HIGH);
		dir->ring[i] = m;
		dir->n = i + 1;
		dir->frame_bytes += f->len[i];
	}
	for (i = f->n; i < f->n + o->burst; i++)
		dir->ring[i] = dir->ring[i % f->n];
	return 0;
}

static void
dir_fini(struct gen_dir *dir)
{
	uint32_t i;

	if (dir->ring != NULL) {
		/* the templates go back to their pool, which then goes away */
		for (i = 0; i < dir->n; i++) {
			rte_mbuf_refcnt_set(dir->ring[i], 1);
			rte_pktmbuf_free(dir->ring[i]);
		}
	}
	free(dir->ring);
	rte_mempool_free(dir->pool);
	memset(dir, 0, sizeof(*dir));
}

/* ---- ports ---- */

static int
port_create(const struct gen_opts *o, uint32_t i, struct rte_mempool *pool, uint16_t *port_id)
{
	static const struct rte_eth_conf conf;
	char name[32], args[PATH_MAX + 192], mac[RTE_ETHER_ADDR_FMT_SIZE], rsize[24] = "";
	int ret;

	snprintf(name, sizeof(name), "net_memif_gen%u", i);
	rte_ether_format_addr(mac, sizeof(mac), &o->mac[i]);
	if (o->rsize != 0)
		snprintf(rsize, sizeof(rsize), ",rsize=%u", o->rsize);
	/* A file socket, not an abstract one, so that the harness can see it appear and remove
	 * it; the DUT's client devargs need socket-abstract=no as well. */
	snprintf(args, sizeof(args), "%s,role=server,socket=%s,socket-abstract=no,id=%u,mac=%s%s",
	        name, o->socket[i], o->id[i], mac, rsize);
	if (unlink(o->socket[i]) != 0 && errno != ENOENT)
		fprintf(stderr, "memif-gen: cannot remove stale %s: %s\n", o->socket[i],
		        strerror(errno));
	ret = rte_dev_probe(args);
	if (ret != 0) {
		fprintf(stderr, "memif-gen: cannot create %s: %s\n", args, strerror(-ret));
		return ret;
	}
	ret = rte_eth_dev_get_port_by_name(name, port_id);
	if (ret != 0)
		return ret;
	ret = rte_eth_dev_configure(*port_id, 1, 1, &conf);
	if (ret == 0)
		ret = rte_eth_rx_queue_setup(*port_id, 0, GEN_RX_DESC, rte_socket_id(), NULL, pool);
	if (ret == 0)
		ret = rte_eth_tx_queue_setup(*port_id, 0, GEN_TX_DESC, rte_socket_id(), NULL);
	if (ret == 0)
		ret = rte_eth_dev_start(*port_id);
	if (ret != 0)
		fprintf(stderr, "memif-gen: cannot set up %s: %s\n", name, strerror(-ret));
	return ret;
}

static void
port_destroy(uint16_t port_id)
{
	struct rte_eth_dev_info info;
	char name[RTE_ETH_NAME_MAX_LEN];

	if (rte_eth_dev_info_get(port_id, &info) != 0 ||
	        rte_eth_dev_get_name_by_port(port_id, name) != 0)
		return;
	rte_eth_dev_stop(port_id);
	rte_eth_dev_close(port_id);
	rte_dev_remove(info.device);
}

static bool
link_up(uint16_t port_id)
{
	struct rte_eth_link link;

	return rte_eth_link_get_nowait(port_id, &link) == 0 && link.link_status;
}

static int
wait_links(const struct gen_opts *o, const uint16_t *ports)
{
	uint64_t hz = rte_get_tsc_hz();
	uint64_t deadline = rte_rdtsc() + (uint64_t)(o->link_timeout * hz);

	fprintf(stderr, "memif-gen: waiting for the DUT on %s (id %u) and %s (id %u)\n",
	        o->socket[0], o->id[0], o->socket[1], o->id[1]);
	while (!quit) {
		bool up0 = link_up(ports[0]), up1 = link_up(ports[1]);

		if (up0 && up1)
			return 0;
		if (rte_rdtsc() > deadline) {
			fprintf(stderr,
			        "memif-gen: link timeout after %.1f s: port 0 %s, port 1 %s\n",
			        o->link_timeout, up0 ? "up" : "down", up1 ? "up" : "down");
			return -ETIMEDOUT;
		}
		rte_delay_us_sleep(10 * 1000);
	}
	return -EINTR;
}

/* ---- the loop ---- */

static inline void
refill_refs(struct rte_mbuf **m, uint16_t n)
{
	uint16_t i;

	for (i = 0; i < n; i++)
		if (unlikely(rte_mbuf_refcnt_read(m[i]) < GEN_REF_LOW))
			rte_mbuf_refcnt_set(m[i], GEN_REF_HIGH);
}

static inline uint16_t
dir_tx(struct gen_dir *dir, uint16_t want, uint64_t now, uint64_t backoff)
{
	struct rte_mbuf **m = &dir->ring[dir->next];
	uint16_t sent, i;

	refill_refs(m, want);
	sent = rte_eth_tx_burst(dir->tx_port, 0, m, want);
	for (i = 0; i < sent; i++)
		dir->tx_bytes += rte_pktmbuf_pkt_len(m[i]);
	dir->tx_pkts += sent;
	if (sent < want) {
		dir->tx_full += want - sent;
		dir->next_try = now + backoff;
	}
	dir->next += sent;
	if (dir->next >= dir->n)
		dir->next -= dir->n;
	return sent;
}

static inline uint16_t
port_rx(uint16_t port, uint16_t burst, uint64_t *pkts, uint64_t *bytes)
{
	struct rte_mbuf *m[GEN_BURST_MAX];
	uint16_t n, i;

	n = rte_eth_rx_burst(port, 0, m, burst);
	if (n == 0)
		return 0;
	for (i = 0; i < n; i++)
		*bytes += rte_pktmbuf_pkt_len(m[i]);
	*pkts += n;
	rte_pktmbuf_free_bulk(m, n);
	return n;
}

static void
snapshot(const struct gen_dir *dirs, uint32_t ndirs, const uint64_t *rx_pkts,
        const uint64_t *rx_bytes, struct gen_counts *c)
{
	uint32_t d;

	memset(c, 0, sizeof(*c));
	for (d = 0; d < ndirs; d++) {
		c->tx_pkts[d] = dirs[d].tx_pkts;
		c->tx_bytes[d] = dirs[d].tx_bytes;
		c->tx_full[d] = dirs[d].tx_full;
	}
	for (d = 0; d < 2; d++) {
		c->rx_pkts[d] = rx_pkts[d];
		c->rx_bytes[d] = rx_bytes[d];
	}
}

/* Returns the measured interval in TSC cycles, 0 if interrupted before it ended. */
static uint64_t
run(const struct gen_opts *o, struct gen_dir *dirs, uint32_t ndirs, const uint16_t *ports,
        struct gen_counts *begin, struct gen_counts *end, struct gen_slots *slots)
{
	uint64_t hz = rte_get_tsc_hz();
	uint64_t rx_pkts[2] = { 0, 0 }, rx_bytes[2] = { 0, 0 };
	uint64_t t0 = rte_rdtsc(), now;
	uint64_t t_meas = t0 + (uint64_t)(o->warmup * hz);
	uint64_t t_end = t_meas + (uint64_t)(o->duration * hz);
	uint64_t t_begin = 0, t_stop = 0;
	double pps_per_cycle = o->pps / (double)hz;
	uint16_t burst = (uint16_t)o->burst;
	uint64_t backoff = (uint64_t)(o->tx_backoff_us * hz / 1e6);
	uint64_t period = (uint64_t)(o->interval * hz), t_report = t0 + period;
	uint64_t last_tx = 0, last_rx = 0, loops = 0, idle_loops = 0;
	uint64_t slot_len = (uint64_t)(slots->secs * hz), t_slot = UINT64_MAX, slot_rx = 0;
	uint32_t d;

	for (d = 0; d < ndirs; d++)
		dirs[d].last_fill = t0;

	while (!quit) {
		uint32_t work = 0;

		now = rte_rdtsc();
		if (unlikely(period != 0 && now >= t_report)) {
			uint64_t tx = dirs[0].tx_pkts + dirs[1].tx_pkts;
			uint64_t rx = rx_pkts[0] + rx_pkts[1];
			double s = (double)(now - t_report + period) / (double)hz;

			fprintf(stderr, "memif-gen: %7.2f s  tx %8.3f Mpps  rx %8.3f Mpps\n",
			        (double)(now - t0) / (double)hz, (tx - last_tx) / s / 1e6,
			        (rx - last_rx) / s / 1e6);
			last_tx = tx;
			last_rx = rx;
			t_report = now + period;
			continue;
		}
		if (unlikely(now >= t_meas)) {
			if (t_begin == 0) {
				snapshot(dirs, ndirs, rx_pkts, rx_bytes, begin);
				begin->loops = loops;
				begin->idle_loops = idle_loops;
				t_begin = now;
				t_slot = now + slot_len;
				slot_rx = rx_pkts[1] + (ndirs == 2 ? rx_pkts[0] : 0);
			} else if (now >= t_end) {
				snapshot(dirs, ndirs, rx_pkts, rx_bytes, end);
				end->loops = loops;
				end->idle_loops = idle_loops;
				t_stop = now;
				break;
			} else if (now >= t_slot) {
				uint64_t rx = rx_pkts[1] + (ndirs == 2 ? rx_pkts[0] : 0);

				if (slots->n < slots->max)
					slots->rx[slots->n++] = rx - slot_rx;
				slot_rx = rx;
				t_slot += slot_len;
			}
		}
		for (d = 0; d < ndirs; d++) {
			struct gen_dir *dir = &dirs[d];
			uint16_t want = burst, sent;

			if (now < dir->next_try)
				continue;
			if (o->pps > 0) {
				/* A token bucket one burst deep: time the DUT refused
				 * packets is lost, not paid back later in a rush. */
				dir->tokens += (double)(now - dir->last_fill) * pps_per_cycle;
				dir->last_fill = now;
				if (dir->tokens > burst)
					dir->tokens = burst;
				if (dir->tokens < 1)
					continue;
				want = (uint16_t)dir->tokens;
			}
			sent = dir_tx(dir, want, now, backoff);
			dir->tokens -= sent;
			work += sent;
		}
		/* Port 0 is polled without --bidir as well: what the DUT sends back there (an
		 * l3fwd lookup miss, say) is counted apart rather than left to fill the ring. */
		work += port_rx(ports[1], burst, &rx_pkts[1], &rx_bytes[1]);
		work += port_rx(ports[0], burst, &rx_pkts[0], &rx_bytes[0]);
		loops++;
		idle_loops += work == 0;
	}
	if (quit)
		return 0;
	now = rte_rdtsc();
	/* Let what is in flight come back, so that the DUT is not left with full rings; none
	 * of it is counted. */
	while (rte_rdtsc() - now < GEN_DRAIN_MS * hz / 1000) {
		port_rx(ports[1], burst, &rx_pkts[1], &rx_bytes[1]);
		port_rx(ports[0], burst, &rx_pkts[0], &rx_bytes[0]);
	}
	return t_stop - t_begin;
}

/* Keep the links up, draining what still comes, until the DUT is gone or we are told. */
static void
hold(const struct gen_opts *o, const uint16_t *ports)
{
	uint64_t hz = rte_get_tsc_hz();
	uint64_t deadline = rte_rdtsc() + (uint64_t)(o->hold * hz);
	uint64_t pkts = 0, bytes = 0;

	fprintf(stderr, "memif-gen: holding the ports for up to %.1f s\n", o->hold);
	while (!quit && rte_rdtsc() < deadline && (link_up(ports[0]) || link_up(ports[1]))) {
		port_rx(ports[0], GEN_BURST_MAX, &pkts, &bytes);
		port_rx(ports[1], GEN_BURST_MAX, &pkts, &bytes);
		rte_delay_us_sleep(1000);
	}
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* The p-th percentile (nearest rank) of the slots' rx rates, in Mpps; sorts the slots. */
static double
slot_mpps(struct gen_slots *s, double p)
{
	uint32_t rank;

	if (s->n == 0)
		return 0;
	qsort(s->rx, s->n, sizeof(s->rx[0]), cmp_u64);
	rank = (uint32_t)(p / 100 * s->n + 0.5);
	rank = rank == 0 ? 0 : RTE_MIN(rank - 1, s->n - 1);
	return (double)s->rx[rank] / s->secs / 1e6;
}

static void
print_json(const struct gen_opts *o, const struct gen_dir *dirs, uint32_t ndirs,
        const struct gen_counts *b, const struct gen_counts *e, uint64_t cycles,
        struct gen_slots *slots)
{
	double secs = (double)cycles / (double)rte_get_tsc_hz();
	uint64_t tx = 0, tx_bytes = 0, tx_full = 0, rx, rx_bytes, rx_back, frames = 0, fbytes = 0;
	uint32_t d;

	for (d = 0; d < ndirs; d++) {
		tx += e->tx_pkts[d] - b->tx_pkts[d];
		tx_bytes += e->tx_bytes[d] - b->tx_bytes[d];
		tx_full += e->tx_full[d] - b->tx_full[d];
		frames += dirs[d].n;
		fbytes += dirs[d].frame_bytes;
	}
	if (ndirs == 2) {
		rx = (e->rx_pkts[0] - b->rx_pkts[0]) + (e->rx_pkts[1] - b->rx_pkts[1]);
		rx_bytes = (e->rx_bytes[0] - b->rx_bytes[0]) + (e->rx_bytes[1] - b->rx_bytes[1]);
		rx_back = 0;
	} else {
		rx = e->rx_pkts[1] - b->rx_pkts[1];
		rx_bytes = e->rx_bytes[1] - b->rx_bytes[1];
		rx_back = e->rx_pkts[0] - b->rx_pkts[0];
	}

	printf("{\"tx_pkts\":%" PRIu64 ",\"rx_pkts\":%" PRIu64 ",\"tx_mpps\":%.4f,"
	       "\"rx_mpps\":%.4f,\"rx_mpps_p50\":%.4f,\"rx_mpps_p90\":%.4f,\"slots\":%u,\"tx_"
	       "gbps\":%.4f,\"rx_gbps\":%.4f,\"duration_s\":%.4f,"
	       "\"pkt_size\":%.1f,\"bidir\":%s,\"frames\":%" PRIu64 ",\"tx_full\":%" PRIu64
	       ",\"rx_back_pkts\":%" PRIu64 ",\"gen_idle\":%.3f,\"pps_limit\":%.0f,"
	       "\"hugepages\":%s}\n",
	        tx, rx, tx / secs / 1e6, rx / secs / 1e6, slot_mpps(slots, 50),
	        slot_mpps(slots, 90), slots->n, tx_bytes * 8 / secs / 1e9,
	        rx_bytes * 8 / secs / 1e9, secs, frames ? (double)fbytes / frames : 0,
	        ndirs == 2 ? "true" : "false", frames, tx_full, rx_back,
	        e->loops > b->loops
	                ? (double)(e->idle_loops - b->idle_loops) / (double)(e->loops - b->loops)
	                : 0,
	        o->pps, rte_eal_has_hugepages() ? "true" : "false");
	fflush(stdout);
}

static int
load_frames(const struct gen_opts *o, uint32_t d, struct gen_frames *f)
{
	const char *pcap = o->pcap[d] != NULL ? o->pcap[d] : o->pcap[0];

	if (pcap != NULL)
		return gen_pcap_read(pcap, o->max_frames, f, stderr);
	return syn_frames(o, d, f);
}

int
dsa_bench_memif_gen_main(int argc, char **argv)
{
	struct gen_dir dirs[2];
	struct gen_counts begin, end;
	struct gen_slots slots = { 0 };
	struct gen_opts o;
	struct rte_mempool *rx_pool = NULL;
	uint16_t ports[2] = { UINT16_MAX, UINT16_MAX };
	uint32_t ndirs, d;
	uint64_t cycles;
	int sep, ret, rc = 1;

	/* Our options come after "--"; parse them before the EAL so that --help and
	 * --write-l3fwd-rules need no EAL. */
	for (sep = 1; sep < argc; sep++)
		if (strcmp(argv[sep], "--") == 0)
			break;
	if (sep < argc) {
		char *prog = argv[0];

		argv[sep] = prog;
		ret = parse_opts(argc - sep, argv + sep, prog, &o);
		argv[sep] = (char *)"--";
	} else {
		ret = parse_opts(1, argv, argv[0], &o);
	}
	if (ret != 0)
		return ret > 0 ? 0 : 2;
	if (o.l3fwd_rules != NULL)
		return write_l3fwd_rules(&o) == 0 ? 0 : 1;

	memset(dirs, 0, sizeof(dirs));
	/* The JSON result is the only thing on stdout. */
	rte_openlog_stream(stderr);
	ret = rte_eal_init(sep, argv);
	if (ret < 0) {
		fprintf(stderr, "memif-gen: EAL init failed: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	if (!rte_eal_has_hugepages())
		fprintf(stderr, "memif-gen: running without hugepages; figures will be lower\n");
	if (rte_lcore_count() > 1)
		fprintf(stderr, "memif-gen: only the main lcore %u is used\n", rte_lcore_id());

	ndirs = o.bidir ? 2 : 1;
	for (d = 0; d < ndirs; d++) {
		struct gen_frames f;

		ret = load_frames(&o, d, &f);
		if (ret != 0)
			goto out;
		ret = dir_init(&dirs[d], &o, d, &f);
		gen_frames_free(&f);
		if (ret != 0)
			goto out;
	}

	rx_pool = rte_pktmbuf_pool_create("gen_rx", GEN_POOL_MBUFS, GEN_POOL_CACHE, 0,
	        RTE_MBUF_DEFAULT_BUF_SIZE, rte_socket_id());
	if (rx_pool == NULL) {
		fprintf(stderr, "memif-gen: rx pool: %s\n", rte_strerror(rte_errno));
		goto out;
	}
	for (d = 0; d < 2; d++) {
		struct stat st;
		char dir[PATH_MAX], *slash;

		snprintf(dir, sizeof(dir), "%s", o.socket[d]);
		slash = strrchr(dir, '/');
		if (slash != NULL && slash != dir) {
			*slash = '\0';
			if (stat(dir, &st) != 0 && mkdir(dir, 0755) != 0 && errno != EEXIST)
				fprintf(stderr, "memif-gen: cannot create %s: %s\n", dir,
				        strerror(errno));
		}
		if (port_create(&o, d, rx_pool, &ports[d]) != 0)
			goto out;
	}
	if (wait_links(&o, ports) != 0) {
		rc = 3;
		goto out;
	}
	fprintf(stderr, "memif-gen: links up; %.1f s warm-up, %.1f s measured\n", o.warmup,
	        o.duration);

	slots.secs = o.slot;
	slots.max = (uint32_t)RTE_MIN(o.duration / o.slot + 1, 1e7);
	slots.rx = calloc(slots.max, sizeof(*slots.rx));
	if (slots.rx == NULL)
		goto out;
	cycles = run(&o, dirs, ndirs, ports, &begin, &end, &slots);
	if (cycles == 0) {
		fprintf(stderr, "memif-gen: interrupted\n");
		goto out;
	}
	print_json(&o, dirs, ndirs, &begin, &end, cycles, &slots);
	rc = 0;
	if (o.hold > 0)
		hold(&o, ports);
out:
	for (d = 0; d < 2; d++)
		if (ports[d] != UINT16_MAX)
			port_destroy(ports[d]);
	for (d = 0; d < 2; d++)
		dir_fini(&dirs[d]);
	rte_mempool_free(rx_pool);
	free(slots.rx);
	rte_eal_cleanup();
	return rc;
}

/* ---- xcore-rtt: where did the hypervisor put our two CPUs? ---- */

/*
 * memif moves every packet through cache lines that the two CPUs hand to each other, so its
 * throughput follows the cost of that hand-over. On a VM the host may move the vCPUs between
 * cores that share a cache and cores that do not, and the round trip of one cache line
 * changes several times over (60 ns and 300 ns on the test machines) from one second to the
 * next. The harness runs this probe around each measurement and discards measurements taken
 * while the round trip was slow.
 */

struct xcore_arg {
	volatile uint64_t *flag;
	uint64_t rounds;
	int cpu;
	int err;
};

static int
pin_self(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

static void *
xcore_pong(void *p)
{
	struct xcore_arg *a = p;
	volatile uint64_t *flag = a->flag;
	uint64_t i, rounds = a->rounds;

	a->err = pin_self(a->cpu);
	/* round 0 is the hand-shake, not timed */
	for (i = 0; i <= rounds; i++) {
		while (*flag != 2 * i + 1)
			; /* no pause: it would add its own latency to the figure */
		*flag = 2 * i + 2;
	}
	return NULL;
}

static double
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* One batch: the mean round trip in ns, or a negative errno. */
static double
xcore_batch(int cpu0, int cpu1, uint64_t rounds)
{
	static volatile uint64_t flag __rte_cache_aligned;
	struct xcore_arg a = { .flag = &flag, .rounds = rounds, .cpu = cpu1 };
	pthread_t t;
	double t0, t1;
	uint64_t i;
	int ret;

	flag = 0;
	ret = pin_self(cpu0);
	if (ret != 0)
		return -ret;
	ret = pthread_create(&t, NULL, xcore_pong, &a);
	if (ret != 0)
		return -ret;
	/* if the partner could not be pinned it still answers, only on the wrong CPU */
	flag = 1;
	while (flag != 2)
		;
	t0 = now_ns();
	for (i = 1; i <= rounds; i++) {
		flag = 2 * i + 1;
		while (flag != 2 * i + 2)
			;
	}
	t1 = now_ns();
	pthread_join(t, NULL);
	if (a.err != 0)
		return -a.err;
	return (t1 - t0) / (double)rounds;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int
dsa_bench_xcore_rtt_main(int argc, char **argv)
{
	uint32_t cpu[2] = { 0, 1 }, rounds = 20000, batches = 5, i;
	double ns[64];
	int opt;

	static const struct option opts[] = {
		{ "cpu0", required_argument, NULL, '0' },
		{ "cpu1", required_argument, NULL, '1' },
		{ "rounds", required_argument, NULL, 'r' },
		{ "batches", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};

	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		int ret = -EINVAL;

		switch (opt) {
		case '0':
		case '1':
			ret = parse_u32(optarg, 0, CPU_SETSIZE - 1, &cpu[opt - '0']);
			break;
		case 'r':
			ret = parse_u32(optarg, 1, 100000000, &rounds);
			break;
		case 'b':
			ret = parse_u32(optarg, 1, RTE_DIM(ns), &batches);
			break;
		case 'h':
			printf("usage: %s [--cpu0 N] [--cpu1 N] [--rounds N] [--batches N]\n"
			       "\n"
			       "Round trip of one cache line between two CPUs (no EAL). Prints\n"
			       "{\"rtt_ns\": median, \"min_ns\":.., \"max_ns\":..} over the "
			       "batches.\n"
			       "Defaults: CPUs 0 and 1, %u batches of %u round trips.\n",
			        argv[0], batches, rounds);
			return 0;
		default:
			break;
		}
		if (ret != 0) {
			fprintf(stderr, "%s: bad option (see --help)\n", argv[0]);
			return 2;
		}
	}
	for (i = 0; i < batches; i++) {
		ns[i] = xcore_batch((int)cpu[0], (int)cpu[1], rounds);
		if (ns[i] < 0) {
			fprintf(stderr, "%s: cannot run on CPUs %u and %u: %s\n", argv[0], cpu[0],
			        cpu[1], strerror((int)-ns[i]));
			return 1;
		}
	}
	qsort(ns, batches, sizeof(ns[0]), cmp_double);
	printf("{\"rtt_ns\":%.1f,\"min_ns\":%.1f,\"max_ns\":%.1f}\n", ns[batches / 2], ns[0],
	        ns[batches - 1]);
	return 0;
}
