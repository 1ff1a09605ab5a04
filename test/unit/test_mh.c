/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit test of lib/mh (dsa_mh.h, mh.c), the Mobility Header codec, on plain
 * buffers: no EAL.
 *
 *  - round trips (build, parse, compare) of a PBU and PBA shaped like the
 *    ones open-source MAGs exchange, BRI/BRA, heartbeats, Binding Error and
 *    a message carrying every option;
 *  - one PBU checked byte for byte against a hand-built array;
 *  - the alignment of every option the builder writes, against the test's
 *    own table of the RFCs' alignments;
 *  - every truncation of valid messages, each from an exact-size heap copy
 *    so that an over-read shows under ASan;
 *  - malformed messages: option overrun, zero-length and wrong-length
 *    options, duplicates, too many HNPs, an option after the authentication
 *    option, unknown option (skipped) and MH type, bad payload proto, short
 *    header length;
 *  - the checksum against the test's own slow pseudo-header sum, and its
 *    check failing after any one-bit flip.
 *
 * usage: test_mh
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dsa_mh.h"
#include "check.h"

static const uint8_t mag6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0x0c, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2 };
static const uint8_t lma6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0x0a, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
static const uint8_t hnp6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 2 };
static const char nai[] = "mn1@example.net";
#define TS_VALUE 0xe7a1b2c3d4e5f607ull

/* ---------------------------------------------------------------- */
/* Helpers                                                           */

static struct dsa_mh_msg
new_msg(uint8_t type)
{
	struct dsa_mh_msg m;

	memset(&m, 0, sizeof(m));
	m.type = type;
	return m;
}

static void
set_mnid(struct dsa_mh_msg *m, const char *id)
{
	m->opt.present |= DSA_MH_HAS_MNID;
	m->opt.mnid.subtype = DSA_MH_MNID_NAI;
	m->opt.mnid.len = (uint8_t)strlen(id);
	memcpy(m->opt.mnid.id, id, strlen(id));
}

/* The PBU a MAG sends on first attachment: NAI, HI "unknown" (4), ATT
 * 802.11 (4), one HNP ::/0 asking for a prefix, timestamp. */
static struct dsa_mh_msg
pbu(void)
{
	struct dsa_mh_msg m = new_msg(DSA_MH_TYPE_BU);

	m.bu.seq = 0x1234;
	m.bu.flags = DSA_MH_BU_A | DSA_MH_BU_H | DSA_MH_BU_P;
	m.bu.lifetime = 150; /* 600 s */
	set_mnid(&m, nai);
	m.opt.present |= DSA_MH_HAS_HI | DSA_MH_HAS_ATT | DSA_MH_HAS_TS;
	m.opt.hi = 4;
	m.opt.att = 4;
	m.opt.n_hnp = 1;
	m.opt.timestamp = TS_VALUE;
	return m;
}

/* The LMA's answer: accepted, same options, the prefix given, a GRE key. */
static struct dsa_mh_msg
pba(void)
{
	struct dsa_mh_msg m = pbu();

	m.type = DSA_MH_TYPE_BA;
	memset(&m.ba, 0, sizeof(m.ba));
	m.ba.status = 0;
	m.ba.flags = DSA_MH_BA_P;
	m.ba.seq = 0x1234;
	m.ba.lifetime = 150;
	m.opt.hnp[0].plen = 64;
	memcpy(m.opt.hnp[0].prefix, hnp6, 16);
	m.opt.present |= DSA_MH_HAS_GRE;
	m.opt.gre.has_key = true;
	m.opt.gre.key = 0x0a0b0c0d;
	return m;
}

static const uint8_t auth_mac[12] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };

/* A BU with every option this codec knows, HNP four times. */
static struct dsa_mh_msg
everything(void)
{
	struct dsa_mh_msg m = pbu();
	struct dsa_mh_opts *o = &m.opt;

	o->present |= DSA_MH_HAS_LLID | DSA_MH_HAS_LLA | DSA_MH_HAS_RC | DSA_MH_HAS_GRE |
	              DSA_MH_HAS_V4HOA_REQ | DSA_MH_HAS_V4HOA_REP | DSA_MH_HAS_V4DR |
	              DSA_MH_HAS_V4DHCP | DSA_MH_HAS_ACOA | DSA_MH_HAS_AUTH;
	o->n_hnp = DSA_MH_MAX_HNP;
	for (int i = 0; i < DSA_MH_MAX_HNP; i++) {
		o->hnp[i].plen = (uint8_t)(56 + i);
		memcpy(o->hnp[i].prefix, hnp6, 16);
		o->hnp[i].prefix[6] = (uint8_t)i;
	}
	o->llid.len = 6;
	memcpy(o->llid.id, "\x02\x00\x00\x00\x00\x01", 6);
	o->lla[0] = 0xfe;
	o->lla[1] = 0x80;
	o->lla[15] = 1;
	memcpy(o->acoa, mag6, 16);
	o->restart_counter = 7;
	o->gre.has_key = false;
	o->v4hoa_req.plen = 0;
	o->v4hoa_req.addr = 0;
	o->v4hoa_rep.status = 0;
	o->v4hoa_rep.plen = 24;
	memcpy(&o->v4hoa_rep.addr, "\x0a\x01\x02\x03", 4);
	memcpy(&o->v4dr, "\x0a\x01\x02\x01", 4);
	o->v4dhcp = DSA_MH_V4DHCP_S;
	o->auth.subtype = DSA_MH_AUTH_MNHA;
	o->auth.spi = 0x100;
	o->auth.data = auth_mac;
	o->auth.data_len = sizeof(auth_mac);
	return m;
}

/* Equal apart from what only the parser fills: the length, the
 * authentication data's address and offsets (its bytes are compared). */
static bool
msg_eq(const struct dsa_mh_msg *a, const struct dsa_mh_msg *b)
{
	struct dsa_mh_msg x, y;

	memcpy(&x, a, sizeof(x));
	memcpy(&y, b, sizeof(y));
	if (x.opt.auth.data_len != y.opt.auth.data_len)
		return false;
	if (x.opt.auth.data_len != 0 &&
	        memcmp(x.opt.auth.data, y.opt.auth.data, x.opt.auth.data_len) != 0)
		return false;
	x.len = y.len = 0;
	x.opt.auth.data = y.opt.auth.data = NULL;
	x.opt.auth.opt_off = y.opt.auth.opt_off = 0;
	x.opt.auth.data_off = y.opt.auth.data_off = 0;
	return memcmp(&x, &y, sizeof(x)) == 0;
}

/* The RFCs' alignment xn+y of each option type, kept apart from the
 * library's table on purpose. x = 1: none. */
static bool
align_of(uint8_t type, unsigned int *x, unsigned int *y)
{
	static const struct {
		uint8_t type, x, y;
	} t[] = {
		{ DSA_MH_OPT_ACOA, 8, 6 },
		{ DSA_MH_OPT_MNID, 1, 0 },
		{ DSA_MH_OPT_AUTH, 1, 0 },
		{ DSA_MH_OPT_HNP, 8, 4 },
		{ DSA_MH_OPT_HI, 1, 0 },
		{ DSA_MH_OPT_ATT, 1, 0 },
		{ DSA_MH_OPT_LLID, 8, 2 },
		{ DSA_MH_OPT_LLA, 8, 6 },
		{ DSA_MH_OPT_TS, 8, 2 },
		{ DSA_MH_OPT_RC, 4, 2 },
		{ DSA_MH_OPT_GRE, 4, 0 },
		{ DSA_MH_OPT_V4HOA_REQ, 4, 0 },
		{ DSA_MH_OPT_V4HOA_REP, 4, 0 },
		{ DSA_MH_OPT_V4DR, 4, 0 },
		{ DSA_MH_OPT_V4DHCP, 4, 0 },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (t[i].type == type) {
			*x = t[i].x;
			*y = t[i].y;
			return true;
		}
	return false;
}

/* Walk the options of a built message: each aligned, padding all zero, the
 * authentication option (if any) last and ending the message. Returns the
 * number of non-padding options. */
static int
check_layout(const uint8_t *b, size_t len, size_t opt_start)
{
	size_t off = opt_start;
	int n = 0;

	CHECK_EQ(len % 8, 0);
	CHECK_EQ(b[1], len / 8 - 1);
	while (off < len) {
		unsigned int x, y;
		uint8_t t = b[off];

		if (t == DSA_MH_OPT_PAD1) {
			off++;
			continue;
		}
		CHECK(off + 2 <= len);
		if (off + 2 > len)
			return -1;
		if (t == DSA_MH_OPT_PADN) {
			for (unsigned int i = 0; i < b[off + 1]; i++)
				CHECK_EQ(b[off + 2 + i], 0);
			off += 2 + (size_t)b[off + 1];
			continue;
		}
		n++;
		CHECK(align_of(t, &x, &y));
		if (align_of(t, &x, &y) && off % x != y) {
			set_ctx("option %u at offset %zu", t, off);
			CHECK_EQ(off % x, y);
			set_ctx("%s", "");
		}
		if (t == DSA_MH_OPT_AUTH)
			CHECK_EQ(off + 2 + b[off + 1], len);
		off += 2 + (size_t)b[off + 1];
	}
	CHECK_EQ(off, len);
	return n;
}

/* Parse from an exact-size heap copy, so any over-read is caught by ASan.
 * The copy lives until the next call: m->opt.auth.data points into it. */
static int
parse_exact(const uint8_t *b, size_t len, struct dsa_mh_msg *m, struct dsa_mh_err *e)
{
	static uint8_t *copy;

	free(copy);
	copy = malloc(len ? len : 1);
	if (copy == NULL)
		abort();
	memcpy(copy, b, len);
	return dsa_mh_parse(copy, len, m, e);
}

/* Every strict prefix fails cleanly; no build fits in less room. */
static void
check_truncations(const struct dsa_mh_msg *m, const uint8_t *b, size_t len)
{
	uint8_t small[2048];
	size_t l2 = 0;

	bulk_failures = 0;
	for (size_t i = 0; i < len; i++) {
		struct dsa_mh_msg p;
		struct dsa_mh_err e;
		int rc = parse_exact(b, i, &p, &e);

		CHECK_MANY(rc == -EBADMSG);
		CHECK_MANY(e.code == DSA_MH_E_TRUNCATED);
		CHECK_MANY(e.reason != NULL);
	}
	for (size_t cap = 0; cap < len; cap++)
		CHECK_MANY(dsa_mh_build(m, small, cap, &l2) == -ENOSPC);
}

/* Build, check layout, parse back, compare; returns the length. */
static size_t
round_trip(const char *name, const struct dsa_mh_msg *m, uint8_t *buf, size_t cap, size_t opt_start,
        int n_opts)
{
	struct dsa_mh_msg back;
	struct dsa_mh_err e;
	size_t len = 0;
	int rc;

	set_ctx("%s", name);
	rc = dsa_mh_build(m, buf, cap, &len);
	CHECK_EQ(rc, 0);
	if (rc != 0)
		return 0;
	CHECK_EQ(buf[0], 59);
	CHECK_EQ(buf[2], m->type);
	CHECK_EQ(buf[4] | buf[5], 0);
	CHECK_EQ(check_layout(buf, len, opt_start), n_opts);
	rc = parse_exact(buf, len, &back, &e);
	CHECK_EQ(rc, 0);
	if (rc != 0)
		fprintf(stderr, "  %s: %s at %zu\n", name, e.reason, e.offset);
	CHECK_EQ(back.len, len);
	CHECK(msg_eq(m, &back));
	check_truncations(m, buf, len);
	set_ctx("%s", "");
	return len;
}

/* ---------------------------------------------------------------- */
/* Tests                                                             */

static void
test_round_trips(void)
{
	uint8_t buf[2048];
	struct dsa_mh_msg m, back;
	size_t len;

	m = pbu();
	round_trip("pbu", &m, buf, sizeof(buf), 12, 5);

	m = pba();
	round_trip("pba", &m, buf, sizeof(buf), 12, 6);

	m = everything();
	len = round_trip("everything", &m, buf, sizeof(buf), 12, 18);
	CHECK_EQ(dsa_mh_parse(buf, len, &back, NULL), 0);
	CHECK_EQ(back.opt.auth.spi, 0x100);
	CHECK_EQ(back.opt.auth.data_off, back.opt.auth.opt_off + 7);
	CHECK(back.opt.auth.data == buf + back.opt.auth.data_off);
	CHECK_EQ(back.opt.auth.data_off + sizeof(auth_mac), len);
	CHECK_EQ(back.opt.n_hnp, 4);
	CHECK_EQ(back.opt.hnp[3].plen, 59);

	/* The same with the GRE key present and an IPv4 HoA asked for. */
	m.opt.gre.has_key = true;
	m.opt.gre.key = 0xfffffffe;
	m.opt.v4hoa_req.plen = 32;
	memcpy(&m.opt.v4hoa_req.addr, "\x0a\x01\x02\x09", 4);
	round_trip("everything, GRE key", &m, buf, sizeof(buf), 12, 18);

	/* A PBU with no option at all still pads to 8 octets. */
	m = new_msg(DSA_MH_TYPE_BU);
	m.bu.flags = DSA_MH_BU_P;
	len = round_trip("bare pbu", &m, buf, sizeof(buf), 12, 0);
	CHECK_EQ(len, 16);

	m = new_msg(DSA_MH_TYPE_BR);
	m.br.br_type = DSA_MH_BR_BRI;
	m.br.trigger_status = 1; /* unspecified */
	m.br.seq = 77;
	m.br.flags = DSA_MH_BR_P | DSA_MH_BR_V;
	set_mnid(&m, nai);
	m.opt.n_hnp = 1;
	m.opt.hnp[0].plen = 64;
	memcpy(m.opt.hnp[0].prefix, hnp6, 16);
	round_trip("bri", &m, buf, sizeof(buf), 12, 2);

	m.br.br_type = DSA_MH_BR_BRA;
	m.br.trigger_status = 0; /* success */
	m.br.flags = DSA_MH_BR_P | DSA_MH_BR_G;
	memset(&m.opt, 0, sizeof(m.opt));
	round_trip("bra", &m, buf, sizeof(buf), 12, 0);

	m = new_msg(DSA_MH_TYPE_HB);
	m.hb.seq = 0xdeadbeef;
	m.opt.present = DSA_MH_HAS_RC;
	m.opt.restart_counter = 3;
	len = round_trip("heartbeat request", &m, buf, sizeof(buf), 12, 1);
	CHECK_EQ(buf[7], 0);
	CHECK_EQ(buf[8], 0xde);
	m.hb.flags = DSA_MH_HB_R;
	round_trip("heartbeat response", &m, buf, sizeof(buf), 12, 1);
	CHECK_EQ(buf[7], DSA_MH_HB_R);

	m = new_msg(DSA_MH_TYPE_BE);
	m.be.status = DSA_MH_BE_UNKNOWN_TYPE;
	memcpy(m.be.home, mag6, 16);
	len = round_trip("be", &m, buf, sizeof(buf), 24, 0);
	CHECK_EQ(len, 24);
	CHECK_EQ(buf[1], 2);

	/* Unencodable messages. */
	m = new_msg(99);
	CHECK_EQ(dsa_mh_build(&m, buf, sizeof(buf), &len), -EINVAL);
	m = pbu();
	m.opt.n_hnp = DSA_MH_MAX_HNP + 1;
	CHECK_EQ(dsa_mh_build(&m, buf, sizeof(buf), &len), -EINVAL);
	m = pbu();
	m.opt.mnid.len = 0;
	CHECK_EQ(dsa_mh_build(&m, buf, sizeof(buf), &len), -EINVAL);
	m = pbu();
	m.opt.hnp[0].plen = 129;
	CHECK_EQ(dsa_mh_build(&m, buf, sizeof(buf), &len), -EINVAL);
}

/* The PBU of pbu(), written out by hand from RFC 6275 / 5213 / 4283. */
static const uint8_t pbu_bytes[] = {
	59, 9, 5, 0, 0, 0,                      /* MH header, 80 octets */
	0x12, 0x34, 0xc2, 0x00, 0x00, 150,      /* seq, A|H|P, lifetime */
	8, 16, 1,                               /* 12: MN-ID, NAI */
	'm', 'n', '1', '@', 'e', 'x', 'a', 'm', /* 15: "mn1@exam" */
	'p', 'l', 'e', '.', 'n', 'e', 't',      /* 23: "ple.net" */
	23, 2, 0, 4,                            /* 30: handoff indicator */
	24, 2, 0, 4,                            /* 34: access technology type */
	1, 4, 0, 0, 0, 0,                       /* 38: PadN for 8n+4 */
	22, 18, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 44: HNP ::/0 */
	1, 0,                                                         /* 64: PadN for 8n+2 */
	27, 8, 0xe7, 0xa1, 0xb2, 0xc3, 0xd4, 0xe5, 0xf6, 0x07,        /* 66: timestamp */
	1, 2, 0, 0,                                                   /* 76: PadN to 8 octets */
};

static void
test_pbu_bytes(void)
{
	struct dsa_mh_msg m = pbu(), back;
	uint8_t buf[256];
	size_t len = 0;

	set_ctx("pbu bytes");
	CHECK_EQ(sizeof(pbu_bytes), 80);
	CHECK_EQ(dsa_mh_build(&m, buf, sizeof(buf), &len), 0);
	CHECK_EQ(len, sizeof(pbu_bytes));
	for (size_t i = 0; i < len && i < sizeof(pbu_bytes); i++)
		if (buf[i] != pbu_bytes[i]) {
			set_ctx("pbu byte %zu", i);
			CHECK_EQ(buf[i], pbu_bytes[i]);
		}
	set_ctx("pbu bytes");
	CHECK_EQ(parse_exact(pbu_bytes, sizeof(pbu_bytes), &back, NULL), 0);
	CHECK(msg_eq(&m, &back));
	CHECK_EQ(back.bu.seq, 0x1234);
	CHECK_EQ(back.bu.flags, DSA_MH_BU_A | DSA_MH_BU_H | DSA_MH_BU_P);
	CHECK_EQ(back.opt.mnid.len, 15);
	CHECK(memcmp(back.opt.mnid.id, nai, 15) == 0);
	CHECK_EQ(back.opt.hi, 4);
	CHECK_EQ(back.opt.timestamp, TS_VALUE);
	CHECK_EQ(back.opt.n_unknown, 0);

	/* Bytes after the MH (e.g. a longer IP payload) are ignored. */
	memcpy(buf, pbu_bytes, sizeof(pbu_bytes));
	memset(buf + sizeof(pbu_bytes), 0xee, 8);
	CHECK_EQ(parse_exact(buf, sizeof(pbu_bytes) + 8, &back, NULL), 0);
	CHECK_EQ(back.len, 80);
	set_ctx("%s", "");
}

/* A hand-made message: header, then body (fixed part and options), then
 * Pad1 (zero) bytes to a multiple of 8. Returns the length. */
static size_t
craft(uint8_t *out, uint8_t type, const uint8_t *body, size_t blen)
{
	size_t len = (6 + blen + 7) / 8 * 8;

	memset(out, 0, len);
	out[0] = 59;
	out[1] = (uint8_t)(len / 8 - 1);
	out[2] = type;
	memcpy(out + 6, body, blen);
	return len;
}

/* A PBU body: fixed part then the given options. */
static size_t
craft_bu(uint8_t *out, const uint8_t *opts, size_t olen)
{
	uint8_t body[512] = { 0, 1, 0x02, 0x00, 0, 10 };

	memcpy(body + 6, opts, olen);
	return craft(out, DSA_MH_TYPE_BU, body, 6 + olen);
}

/* craft_bu() with the options given inline, their length counted. */
#define CRAFT_BU(out, ...)                                                                         \
	craft_bu(out, (const uint8_t[]){ __VA_ARGS__ }, sizeof((const uint8_t[]){ __VA_ARGS__ }))

static void
expect_fail(const char *what, const uint8_t *b, size_t len, int rc, enum dsa_mh_errcode code,
        size_t offset)
{
	struct dsa_mh_msg m;
	struct dsa_mh_err e;

	set_ctx("%s", what);
	CHECK_EQ(parse_exact(b, len, &m, &e), rc);
	CHECK_EQ(e.code, code);
	CHECK_EQ(e.offset, offset);
	CHECK(e.reason != NULL && e.reason[0] != '\0');
	CHECK(strcmp(dsa_mh_errname(code), "?") != 0);
	set_ctx("%s", "");
}

static void
test_malformed(void)
{
	uint8_t b[1024], t[1024];
	struct dsa_mh_msg m;
	struct dsa_mh_err e;
	size_t len;

	/* The timestamp's length pointing past the message. */
	memcpy(b, pbu_bytes, sizeof(pbu_bytes));
	b[67] = 200;
	expect_fail("ts overrun", b, sizeof(pbu_bytes), -EINVAL, DSA_MH_E_OPTION_OVERRUN, 67);
	/* A PadN that does the same. */
	memcpy(b, pbu_bytes, sizeof(pbu_bytes));
	b[77] = 3;
	expect_fail("padn overrun", b, sizeof(pbu_bytes), -EINVAL, DSA_MH_E_OPTION_OVERRUN, 77);
	/* An option type as the very last byte: no room for its length. */
	memcpy(b, pbu_bytes, sizeof(pbu_bytes));
	b[76] = 0;
	b[77] = 0;
	b[78] = 0;
	b[79] = 23;
	expect_fail(
	        "type in last byte", b, sizeof(pbu_bytes), -EINVAL, DSA_MH_E_OPTION_OVERRUN, 79);

	/* Zero-length options: fine for PadN and unknown types, not for HI. */
	len = CRAFT_BU(b, 1, 0, 200, 0);
	CHECK_EQ(parse_exact(b, len, &m, &e), 0);
	CHECK_EQ(m.opt.n_unknown, 1);
	len = CRAFT_BU(b, 23, 0);
	expect_fail("zero-length hi", b, len, -EINVAL, DSA_MH_E_BAD_OPTION_LENGTH, 13);

	/* Wrong fixed lengths. */
	memset(t, 0, sizeof(t));
	t[0] = 22;
	t[1] = 17;
	len = craft_bu(b, t, 2 + 17);
	expect_fail("hnp 17", b, len, -EINVAL, DSA_MH_E_BAD_OPTION_LENGTH, 13);
	len = CRAFT_BU(b, 27, 4, 0, 0, 0, 0);
	expect_fail("ts 4", b, len, -EINVAL, DSA_MH_E_BAD_OPTION_LENGTH, 13);
	len = CRAFT_BU(b, 33, 4, 0, 0, 0, 0);
	expect_fail("gre 4", b, len, -EINVAL, DSA_MH_E_BAD_OPTION_LENGTH, 13);
	len = CRAFT_BU(b, 8, 1, 1);
	expect_fail("empty mn-id", b, len, -EINVAL, DSA_MH_E_BAD_OPTION_LENGTH, 13);
	memset(t, 0, sizeof(t));
	t[0] = 25;
	t[1] = 19;
	len = craft_bu(b, t, 2 + 19);
	expect_fail("ll-id 17", b, len, -EINVAL, DSA_MH_E_BAD_OPTION_LENGTH, 13);
	len = CRAFT_BU(b, 36, 5, 0, 0, 0, 0, 0);
	expect_fail("v4hoa req 5", b, len, -EINVAL, DSA_MH_E_BAD_OPTION_LENGTH, 13);

	/* GRE key option without a key: a request for GRE, no key. */
	len = CRAFT_BU(b, 33, 2, 0, 0);
	CHECK_EQ(parse_exact(b, len, &m, &e), 0);
	CHECK(m.opt.present & DSA_MH_HAS_GRE);
	CHECK(!m.opt.gre.has_key);

	/* Bad values. */
	memset(t, 0, sizeof(t));
	t[0] = 22;
	t[1] = 18;
	t[3] = 129;
	len = craft_bu(b, t, 2 + 18);
	expect_fail("hnp /129", b, len, -EINVAL, DSA_MH_E_BAD_OPTION_VALUE, 15);
	len = CRAFT_BU(b, 36, 6, 33 << 2, 0, 10, 0, 0, 1);
	expect_fail("v4 /33", b, len, -EINVAL, DSA_MH_E_BAD_OPTION_VALUE, 14);

	/* Duplicate singletons; HNP may repeat, but only DSA_MH_MAX_HNP times. */
	len = CRAFT_BU(b, 23, 2, 0, 1, 24, 2, 0, 4, 23, 2, 0, 1);
	expect_fail("duplicate hi", b, len, -EINVAL, DSA_MH_E_DUPLICATE_OPTION, 20);
	len = CRAFT_BU(b, 8, 2, 1, 'a', 8, 2, 1, 'b');
	expect_fail("duplicate mn-id", b, len, -EINVAL, DSA_MH_E_DUPLICATE_OPTION, 16);
	memset(t, 0, sizeof(t));
	for (int i = 0; i < 5; i++) {
		t[i * 20] = 22;
		t[i * 20 + 1] = 18;
	}
	len = craft_bu(b, t, 4 * 20);
	CHECK_EQ(parse_exact(b, len, &m, &e), 0);
	CHECK_EQ(m.opt.n_hnp, 4);
	len = craft_bu(b, t, 5 * 20);
	expect_fail("5 hnp", b, len, -EINVAL, DSA_MH_E_TOO_MANY_OPTIONS, 12 + 80);

	/* Unknown options are skipped and counted, values around them kept. */
	len = CRAFT_BU(b, 200, 3, 9, 9, 9, 23, 2, 0, 5, 2, 2, 0, 0);
	CHECK_EQ(parse_exact(b, len, &m, &e), 0);
	CHECK_EQ(m.opt.n_unknown, 2); /* 200 and 2 (Binding Refresh Advice) */
	CHECK(m.opt.present & DSA_MH_HAS_HI);
	CHECK_EQ(m.opt.hi, 5);

	/* Nothing but padding may follow the authentication option. */
	len = CRAFT_BU(b, 9, 6, 1, 0, 0, 1, 0, 0xaa, 23, 2, 0, 1);
	expect_fail("after auth", b, len, -EINVAL, DSA_MH_E_OPTION_AFTER_AUTH, 20);
	len = CRAFT_BU(b, 9, 6, 1, 0, 0, 1, 0, 0xaa, 1, 0);
	CHECK_EQ(parse_exact(b, len, &m, &e), 0);
	CHECK_EQ(m.opt.auth.data_len, 1);

	/* The header. */
	memcpy(b, pbu_bytes, sizeof(pbu_bytes));
	b[2] = 99;
	expect_fail(
	        "unknown type", b, sizeof(pbu_bytes), -EPROTONOSUPPORT, DSA_MH_E_UNKNOWN_TYPE, 2);
	b[2] = 1; /* HoTI: not handled by this codec either */
	expect_fail("hoti", b, sizeof(pbu_bytes), -EPROTONOSUPPORT, DSA_MH_E_UNKNOWN_TYPE, 2);
	memcpy(b, pbu_bytes, sizeof(pbu_bytes));
	b[0] = 6;
	expect_fail("payload proto", b, sizeof(pbu_bytes), -EBADMSG, DSA_MH_E_BAD_PAYLOAD_PROTO, 0);
	memcpy(b, pbu_bytes, sizeof(pbu_bytes));
	b[1] = 10;
	expect_fail("hdr len past buffer", b, sizeof(pbu_bytes), -EBADMSG, DSA_MH_E_TRUNCATED, 80);
	/* A Binding Error needs 24 octets; a header length of 1 says 16. */
	len = craft(b, DSA_MH_TYPE_BE, (const uint8_t[]){ 1, 0 }, 2);
	b[1] = 1;
	expect_fail("short be", b, 16, -EBADMSG, DSA_MH_E_BAD_LENGTH, 1);
	/* Unknown Binding Revocation type. */
	len = craft(b, DSA_MH_TYPE_BR, (const uint8_t[]){ 3, 0, 0, 1, 0, 0 }, 6);
	expect_fail("br type 3", b, len, -EINVAL, DSA_MH_E_BAD_FIELD, 6);
	CHECK_EQ(parse_exact(b, 0, &m, NULL), -EBADMSG);
}

/* Slow, independent MH checksum: lay out pseudo-header and message in one
 * buffer and sum 16-bit big-endian words. */
static uint16_t
slow_checksum(const uint8_t *src, const uint8_t *dst, const uint8_t *mh, size_t len)
{
	static uint8_t p[40 + 2048];
	uint32_t s = 0;

	memset(p, 0, sizeof(p));
	memcpy(p, src, 16);
	memcpy(p + 16, dst, 16);
	p[32] = (uint8_t)(len >> 24);
	p[33] = (uint8_t)(len >> 16);
	p[34] = (uint8_t)(len >> 8);
	p[35] = (uint8_t)len;
	p[39] = 135;
	memcpy(p + 40, mh, len);
	p[44] = p[45] = 0;
	for (size_t i = 0; i < 40 + len; i += 2)
		s += (uint32_t)p[i] << 8 | p[i + 1];
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

static void
test_checksum(void)
{
	uint8_t b[256];
	size_t len = sizeof(pbu_bytes);
	uint16_t c;
	uint8_t v4m[16];

	memcpy(b, pbu_bytes, len);
	c = dsa_mh_checksum(mag6, lma6, b, len);
	CHECK_EQ(c, slow_checksum(mag6, lma6, b, len));
	/* The field's content does not matter to the computation. */
	b[4] = 0x55;
	b[5] = 0xaa;
	CHECK_EQ(dsa_mh_checksum(mag6, lma6, b, len), c);
	CHECK(!dsa_mh_checksum_ok(mag6, lma6, b, len));
	dsa_mh_set_checksum(mag6, lma6, b, len);
	CHECK_EQ(b[4] << 8 | b[5], c);
	CHECK(dsa_mh_checksum_ok(mag6, lma6, b, len));
	/* Swapped addresses sum the same; another address does not. */
	CHECK(dsa_mh_checksum_ok(lma6, mag6, b, len));
	CHECK(!dsa_mh_checksum_ok(mag6, hnp6, b, len));

	/* Any one-bit flip in the message is detected. */
	bulk_failures = 0;
	for (size_t i = 0; i < len * 8; i++) {
		b[i / 8] ^= (uint8_t)(1u << (i % 8));
		CHECK_MANY(!dsa_mh_checksum_ok(mag6, lma6, b, len));
		b[i / 8] ^= (uint8_t)(1u << (i % 8));
	}
	CHECK(dsa_mh_checksum_ok(mag6, lma6, b, len));

	/* IPv4 transport with IPv4-mapped pseudo-header addresses. */
	dsa_mh_v4mapped(0x0100000a, v4m); /* 10.0.0.1 in network order (LE host) */
	CHECK_EQ(v4m[10], 0xff);
	CHECK_EQ(v4m[11], 0xff);
	CHECK_EQ(dsa_mh_checksum(v4m, lma6, b, len), slow_checksum(v4m, lma6, b, len));
}

int
main(void)
{
	test_round_trips();
	test_pbu_bytes();
	test_malformed();
	test_checksum();
	return check_summary();
}
