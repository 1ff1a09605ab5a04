/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Mobility Header codec: see dsa_mh.h and docs/protocol.md.
 *
 * The parser trusts nothing: the message length is checked against the
 * buffer once, and from then on every read is checked against that length.
 */
#include <errno.h>
#include <string.h>

#include "dsa_mh.h"

#define MH_HDR_LEN 6 /* payload proto, header len, type, reserved, checksum */

static uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint64_t
get64(const uint8_t *p)
{
	return (uint64_t)get32(p) << 32 | get32(p + 4);
}

/* Network-order IPv4 address from 4 wire bytes, without alignment needs. */
static uint32_t
get_be32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

/* Length of the fixed message data after the 6-byte header, by MH type;
 * 0 for a type this codec does not handle. */
static size_t
fixed_len(uint8_t type)
{
	switch (type) {
	case DSA_MH_TYPE_BU:
	case DSA_MH_TYPE_BA:
	case DSA_MH_TYPE_HB:
	case DSA_MH_TYPE_BR:
		return 6;
	case DSA_MH_TYPE_BE:
		return 18;
	default:
		return 0;
	}
}

/*
 * The options this codec knows: data length bounds (excluding type and
 * length bytes) and, for the builder, the alignment xn+y of the type byte.
 * bit is 0 for the one option that may repeat (HNP).
 */
struct optdef {
	uint8_t type;
	uint8_t minlen, maxlen;
	uint8_t align_x, align_y;
	uint32_t bit;
};

static const struct optdef optdefs[] = {
	{ DSA_MH_OPT_MNID, 2, 255, 1, 0, DSA_MH_HAS_MNID },
	{ DSA_MH_OPT_HI, 2, 2, 1, 0, DSA_MH_HAS_HI },
	{ DSA_MH_OPT_ATT, 2, 2, 1, 0, DSA_MH_HAS_ATT },
	{ DSA_MH_OPT_HNP, 18, 18, 8, 4, 0 },
	{ DSA_MH_OPT_LLID, 3, 2 + DSA_MH_LLID_MAX, 8, 2, DSA_MH_HAS_LLID },
	{ DSA_MH_OPT_LLA, 16, 16, 8, 6, DSA_MH_HAS_LLA },
	{ DSA_MH_OPT_TS, 8, 8, 8, 2, DSA_MH_HAS_TS },
	{ DSA_MH_OPT_GRE, 2, 6, 4, 0, DSA_MH_HAS_GRE },
	{ DSA_MH_OPT_V4HOA_REQ, 6, 6, 4, 0, DSA_MH_HAS_V4HOA_REQ },
	{ DSA_MH_OPT_V4HOA_REP, 6, 6, 4, 0, DSA_MH_HAS_V4HOA_REP },
	{ DSA_MH_OPT_V4DR, 6, 6, 4, 0, DSA_MH_HAS_V4DR },
	{ DSA_MH_OPT_V4DHCP, 2, 2, 4, 0, DSA_MH_HAS_V4DHCP },
	{ DSA_MH_OPT_RC, 4, 4, 4, 2, DSA_MH_HAS_RC },
	{ DSA_MH_OPT_ACOA, 16, 16, 8, 6, DSA_MH_HAS_ACOA },
	{ DSA_MH_OPT_AUTH, 6, 255, 1, 0, DSA_MH_HAS_AUTH },
};

static const struct optdef *
optdef_find(uint8_t type)
{
	for (size_t i = 0; i < sizeof(optdefs) / sizeof(optdefs[0]); i++)
		if (optdefs[i].type == type)
			return &optdefs[i];
	return NULL;
}

static const char *const errnames[] = {
	[DSA_MH_E_NONE] = "ok",
	[DSA_MH_E_TRUNCATED] = "truncated",
	[DSA_MH_E_BAD_PAYLOAD_PROTO] = "bad payload proto",
	[DSA_MH_E_UNKNOWN_TYPE] = "unknown MH type",
	[DSA_MH_E_BAD_LENGTH] = "header length too short for type",
	[DSA_MH_E_BAD_FIELD] = "bad fixed field",
	[DSA_MH_E_OPTION_OVERRUN] = "option runs past message",
	[DSA_MH_E_BAD_OPTION_LENGTH] = "bad option length",
	[DSA_MH_E_BAD_OPTION_VALUE] = "bad option value",
	[DSA_MH_E_DUPLICATE_OPTION] = "duplicate option",
	[DSA_MH_E_TOO_MANY_OPTIONS] = "too many options",
	[DSA_MH_E_OPTION_AFTER_AUTH] = "option after authentication option",
};

const char *
dsa_mh_errname(enum dsa_mh_errcode code)
{
	if ((unsigned int)code >= sizeof(errnames) / sizeof(errnames[0]))
		return "?";
	return errnames[code];
}

static int
fail(struct dsa_mh_err *err, enum dsa_mh_errcode code, size_t offset, const char *reason)
{
	if (err != NULL) {
		err->code = code;
		err->reason = reason;
		err->offset = offset;
	}
	switch (code) {
	case DSA_MH_E_TRUNCATED:
	case DSA_MH_E_BAD_PAYLOAD_PROTO:
	case DSA_MH_E_BAD_LENGTH:
		return -EBADMSG;
	case DSA_MH_E_UNKNOWN_TYPE:
		return -EPROTONOSUPPORT;
	default:
		return -EINVAL;
	}
}

static void
parse_fixed(const uint8_t *d, struct dsa_mh_msg *msg)
{
	switch (msg->type) {
	case DSA_MH_TYPE_BU:
		msg->bu.seq = get16(d);
		msg->bu.flags = get16(d + 2) & DSA_MH_BU_MASK;
		msg->bu.lifetime = get16(d + 4);
		break;
	case DSA_MH_TYPE_BA:
		msg->ba.status = d[0];
		msg->ba.flags = d[1] & DSA_MH_BA_MASK;
		msg->ba.seq = get16(d + 2);
		msg->ba.lifetime = get16(d + 4);
		break;
	case DSA_MH_TYPE_BE:
		msg->be.status = d[0];
		memcpy(msg->be.home, d + 2, 16);
		break;
	case DSA_MH_TYPE_HB:
		msg->hb.flags = d[1] & DSA_MH_HB_MASK;
		msg->hb.seq = get32(d + 2);
		break;
	case DSA_MH_TYPE_BR:
		msg->br.br_type = d[0];
		msg->br.trigger_status = d[1];
		msg->br.seq = get16(d + 2);
		msg->br.flags = get16(d + 4) & DSA_MH_BR_MASK;
		break;
	}
}

/* One option of a known type whose length is within bounds; d is its data. */
static int
parse_option(const struct optdef *def, const uint8_t *d, uint8_t olen, size_t off,
        struct dsa_mh_opts *o, struct dsa_mh_err *err)
{
	switch (def->type) {
	case DSA_MH_OPT_MNID:
		o->mnid.subtype = d[0];
		o->mnid.len = olen - 1;
		memcpy(o->mnid.id, d + 1, olen - 1);
		break;
	case DSA_MH_OPT_HI:
		o->hi = d[1];
		break;
	case DSA_MH_OPT_ATT:
		o->att = d[1];
		break;
	case DSA_MH_OPT_HNP:
		if (o->n_hnp == DSA_MH_MAX_HNP)
			return fail(err, DSA_MH_E_TOO_MANY_OPTIONS, off, "too many HNP options");
		if (d[1] > 128)
			return fail(err, DSA_MH_E_BAD_OPTION_VALUE, off + 3, "HNP prefix length");
		o->hnp[o->n_hnp].plen = d[1];
		memcpy(o->hnp[o->n_hnp].prefix, d + 2, 16);
		o->n_hnp++;
		break;
	case DSA_MH_OPT_LLID:
		o->llid.len = olen - 2;
		memcpy(o->llid.id, d + 2, olen - 2);
		break;
	case DSA_MH_OPT_LLA:
		memcpy(o->lla, d, 16);
		break;
	case DSA_MH_OPT_ACOA:
		memcpy(o->acoa, d, 16);
		break;
	case DSA_MH_OPT_TS:
		o->timestamp = get64(d);
		break;
	case DSA_MH_OPT_RC:
		o->restart_counter = get32(d);
		break;
	case DSA_MH_OPT_GRE:
		if (olen != 2 && olen != 6)
			return fail(err, DSA_MH_E_BAD_OPTION_LENGTH, off + 1, "GRE key length");
		o->gre.has_key = olen == 6;
		o->gre.key = olen == 6 ? get32(d + 2) : 0;
		break;
	case DSA_MH_OPT_V4HOA_REQ:
		o->v4hoa_req.plen = d[0] >> 2;
		if (o->v4hoa_req.plen > 32)
			return fail(err, DSA_MH_E_BAD_OPTION_VALUE, off + 2, "IPv4 prefix length");
		o->v4hoa_req.addr = get_be32(d + 2);
		break;
	case DSA_MH_OPT_V4HOA_REP:
		o->v4hoa_rep.status = d[0];
		o->v4hoa_rep.plen = d[1] >> 2;
		if (o->v4hoa_rep.plen > 32)
			return fail(err, DSA_MH_E_BAD_OPTION_VALUE, off + 3, "IPv4 prefix length");
		o->v4hoa_rep.addr = get_be32(d + 2);
		break;
	case DSA_MH_OPT_V4DR:
		o->v4dr = get_be32(d + 2);
		break;
	case DSA_MH_OPT_V4DHCP:
		o->v4dhcp = get16(d) & DSA_MH_V4DHCP_S;
		break;
	case DSA_MH_OPT_AUTH:
		o->auth.subtype = d[0];
		o->auth.spi = get32(d + 1);
		o->auth.data = d + 5;
		o->auth.data_len = olen - 5;
		o->auth.opt_off = (uint16_t)off;
		o->auth.data_off = (uint16_t)(off + 7);
		break;
	}
	o->present |= def->bit;
	return 0;
}

int
dsa_mh_parse(const uint8_t *buf, size_t len, struct dsa_mh_msg *msg, struct dsa_mh_err *err)
{
	size_t total, off, flen;
	bool seen_auth = false;

	memset(msg, 0, sizeof(*msg));
	if (err != NULL) {
		err->code = DSA_MH_E_NONE;
		err->reason = "ok";
		err->offset = 0;
	}
	if (len < 8)
		return fail(err, DSA_MH_E_TRUNCATED, len, "shorter than 8 octets");
	if (buf[0] != DSA_MH_PAYLOAD_PROTO)
		return fail(err, DSA_MH_E_BAD_PAYLOAD_PROTO, 0, "payload proto is not 59");
	total = ((size_t)buf[1] + 1) * 8;
	if (total > len)
		return fail(err, DSA_MH_E_TRUNCATED, len, "shorter than header length");
	msg->type = buf[2];
	msg->len = (uint16_t)total;
	flen = fixed_len(msg->type);
	if (flen == 0)
		return fail(err, DSA_MH_E_UNKNOWN_TYPE, 2, "unknown MH type");
	if (MH_HDR_LEN + flen > total)
		return fail(err, DSA_MH_E_BAD_LENGTH, 1, "header length too short for type");
	parse_fixed(buf + MH_HDR_LEN, msg);
	if (msg->type == DSA_MH_TYPE_BR && msg->br.br_type != DSA_MH_BR_BRI &&
	        msg->br.br_type != DSA_MH_BR_BRA)
		return fail(err, DSA_MH_E_BAD_FIELD, MH_HDR_LEN, "unknown B.R. type");

	for (off = MH_HDR_LEN + flen; off < total;) {
		const struct optdef *def;
		uint8_t t = buf[off], olen;
		int rc;

		if (t == DSA_MH_OPT_PAD1) {
			off++;
			continue;
		}
		if (off + 2 > total)
			return fail(
			        err, DSA_MH_E_OPTION_OVERRUN, off, "option header past message");
		olen = buf[off + 1];
		if (off + 2 + olen > total)
			return fail(
			        err, DSA_MH_E_OPTION_OVERRUN, off + 1, "option data past message");
		if (t == DSA_MH_OPT_PADN) {
			off += 2 + (size_t)olen;
			continue;
		}
		if (seen_auth)
			return fail(err, DSA_MH_E_OPTION_AFTER_AUTH, off, "option after auth");
		def = optdef_find(t);
		if (def == NULL) {
			msg->opt.n_unknown++;
			off += 2 + (size_t)olen;
			continue;
		}
		if (olen < def->minlen || olen > def->maxlen)
			return fail(err, DSA_MH_E_BAD_OPTION_LENGTH, off + 1, "bad option length");
		if (msg->opt.present & def->bit)
			return fail(err, DSA_MH_E_DUPLICATE_OPTION, off, "duplicate option");
		rc = parse_option(def, buf + off + 2, olen, off, &msg->opt, err);
		if (rc != 0)
			return rc;
		seen_auth = t == DSA_MH_OPT_AUTH;
		off += 2 + (size_t)olen;
	}
	return 0;
}

/* ---------------------------------------------------------------- */
/* Builder                                                           */

struct writer {
	uint8_t *b;
	size_t cap;
	size_t pos;
	int rc; /* first error, sticky */
};

/* Reserve n bytes; NULL (and rc = -ENOSPC) when they do not fit. */
static uint8_t *
reserve(struct writer *w, size_t n)
{
	uint8_t *p;

	if (w->rc != 0)
		return NULL;
	if (n > w->cap - w->pos) {
		w->rc = -ENOSPC;
		return NULL;
	}
	p = w->b + w->pos;
	memset(p, 0, n);
	w->pos += n;
	return p;
}

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

/* n bytes of padding: one Pad1, or one PadN of zeros. */
static void
pad(struct writer *w, size_t n)
{
	uint8_t *p;

	if (n == 0)
		return;
	p = reserve(w, n);
	if (p == NULL)
		return;
	if (n >= 2) {
		p[0] = DSA_MH_OPT_PADN;
		p[1] = (uint8_t)(n - 2);
	}
}

/* Pad so the next option's type byte sits at x*k + y from the MH start,
 * then reserve it with its type and length; returns its data. */
static uint8_t *
option(struct writer *w, uint8_t type, uint8_t olen)
{
	const struct optdef *def = optdef_find(type);
	uint8_t *p;

	pad(w, (def->align_y + def->align_x - w->pos % def->align_x) % def->align_x);
	p = reserve(w, 2 + (size_t)olen);
	if (p == NULL)
		return NULL;
	p[0] = type;
	p[1] = olen;
	return p + 2;
}

static void
build_fixed(const struct dsa_mh_msg *msg, uint8_t *d)
{
	switch (msg->type) {
	case DSA_MH_TYPE_BU:
		put16(d, msg->bu.seq);
		put16(d + 2, msg->bu.flags & DSA_MH_BU_MASK);
		put16(d + 4, msg->bu.lifetime);
		break;
	case DSA_MH_TYPE_BA:
		d[0] = msg->ba.status;
		d[1] = msg->ba.flags & DSA_MH_BA_MASK;
		put16(d + 2, msg->ba.seq);
		put16(d + 4, msg->ba.lifetime);
		break;
	case DSA_MH_TYPE_BE:
		d[0] = msg->be.status;
		memcpy(d + 2, msg->be.home, 16);
		break;
	case DSA_MH_TYPE_HB:
		d[1] = msg->hb.flags & DSA_MH_HB_MASK;
		put32(d + 2, msg->hb.seq);
		break;
	case DSA_MH_TYPE_BR:
		d[0] = msg->br.br_type;
		d[1] = msg->br.trigger_status;
		put16(d + 2, msg->br.seq);
		put16(d + 4, msg->br.flags & DSA_MH_BR_MASK);
		break;
	}
}

static int
check_encodable(const struct dsa_mh_msg *msg)
{
	const struct dsa_mh_opts *o = &msg->opt;

	if (fixed_len(msg->type) == 0)
		return -EINVAL;
	if (msg->type == DSA_MH_TYPE_BR && msg->br.br_type != DSA_MH_BR_BRI &&
	        msg->br.br_type != DSA_MH_BR_BRA)
		return -EINVAL;
	if (o->n_hnp > DSA_MH_MAX_HNP)
		return -EINVAL;
	for (unsigned int i = 0; i < o->n_hnp; i++)
		if (o->hnp[i].plen > 128)
			return -EINVAL;
	if ((o->present & DSA_MH_HAS_MNID) && (o->mnid.len == 0 || o->mnid.len > DSA_MH_MNID_MAX))
		return -EINVAL;
	if ((o->present & DSA_MH_HAS_LLID) && (o->llid.len == 0 || o->llid.len > DSA_MH_LLID_MAX))
		return -EINVAL;
	if ((o->present & DSA_MH_HAS_V4HOA_REQ) && o->v4hoa_req.plen > 32)
		return -EINVAL;
	if ((o->present & DSA_MH_HAS_V4HOA_REP) && o->v4hoa_rep.plen > 32)
		return -EINVAL;
	if ((o->present & DSA_MH_HAS_AUTH) &&
	        (o->auth.data_len == 0 || o->auth.data_len > 250 || o->auth.data == NULL))
		return -EINVAL;
	return 0;
}

static void
build_options(const struct dsa_mh_opts *o, struct writer *w)
{
	uint8_t *d;

	if ((o->present & DSA_MH_HAS_MNID) &&
	        (d = option(w, DSA_MH_OPT_MNID, 1 + o->mnid.len)) != NULL) {
		d[0] = o->mnid.subtype;
		memcpy(d + 1, o->mnid.id, o->mnid.len);
	}
	if ((o->present & DSA_MH_HAS_HI) && (d = option(w, DSA_MH_OPT_HI, 2)) != NULL)
		d[1] = o->hi;
	if ((o->present & DSA_MH_HAS_ATT) && (d = option(w, DSA_MH_OPT_ATT, 2)) != NULL)
		d[1] = o->att;
	for (unsigned int i = 0; i < o->n_hnp; i++) {
		d = option(w, DSA_MH_OPT_HNP, 18);
		if (d == NULL)
			break;
		d[1] = o->hnp[i].plen;
		memcpy(d + 2, o->hnp[i].prefix, 16);
	}
	if ((o->present & DSA_MH_HAS_LLID) &&
	        (d = option(w, DSA_MH_OPT_LLID, 2 + o->llid.len)) != NULL)
		memcpy(d + 2, o->llid.id, o->llid.len);
	if ((o->present & DSA_MH_HAS_LLA) && (d = option(w, DSA_MH_OPT_LLA, 16)) != NULL)
		memcpy(d, o->lla, 16);
	if ((o->present & DSA_MH_HAS_TS) && (d = option(w, DSA_MH_OPT_TS, 8)) != NULL) {
		put32(d, (uint32_t)(o->timestamp >> 32));
		put32(d + 4, (uint32_t)o->timestamp);
	}
	if ((o->present & DSA_MH_HAS_GRE) &&
	        (d = option(w, DSA_MH_OPT_GRE, o->gre.has_key ? 6 : 2)) != NULL && o->gre.has_key)
		put32(d + 2, o->gre.key);
	if ((o->present & DSA_MH_HAS_V4HOA_REQ) &&
	        (d = option(w, DSA_MH_OPT_V4HOA_REQ, 6)) != NULL) {
		d[0] = (uint8_t)(o->v4hoa_req.plen << 2);
		memcpy(d + 2, &o->v4hoa_req.addr, 4);
	}
	if ((o->present & DSA_MH_HAS_V4HOA_REP) &&
	        (d = option(w, DSA_MH_OPT_V4HOA_REP, 6)) != NULL) {
		d[0] = o->v4hoa_rep.status;
		d[1] = (uint8_t)(o->v4hoa_rep.plen << 2);
		memcpy(d + 2, &o->v4hoa_rep.addr, 4);
	}
	if ((o->present & DSA_MH_HAS_V4DR) && (d = option(w, DSA_MH_OPT_V4DR, 6)) != NULL)
		memcpy(d + 2, &o->v4dr, 4);
	if ((o->present & DSA_MH_HAS_V4DHCP) && (d = option(w, DSA_MH_OPT_V4DHCP, 2)) != NULL)
		put16(d, o->v4dhcp & DSA_MH_V4DHCP_S);
	if ((o->present & DSA_MH_HAS_RC) && (d = option(w, DSA_MH_OPT_RC, 4)) != NULL)
		put32(d, o->restart_counter);
	if ((o->present & DSA_MH_HAS_ACOA) && (d = option(w, DSA_MH_OPT_ACOA, 16)) != NULL)
		memcpy(d, o->acoa, 16);
	if (o->present & DSA_MH_HAS_AUTH) {
		/* Last, and placed so that it ends the 8-octet-aligned message:
		 * nothing may follow it, not even padding (RFC 4285 §5). */
		size_t olen = 5 + (size_t)o->auth.data_len;

		pad(w, (8 - (w->pos + 2 + olen) % 8) % 8);
		d = reserve(w, 2 + olen);
		if (d != NULL) {
			d[0] = DSA_MH_OPT_AUTH;
			d[1] = (uint8_t)olen;
			d[2] = o->auth.subtype;
			put32(d + 3, o->auth.spi);
			memcpy(d + 7, o->auth.data, o->auth.data_len);
		}
	}
}

int
dsa_mh_build(const struct dsa_mh_msg *msg, uint8_t *buf, size_t cap, size_t *len)
{
	struct writer w = { .b = buf, .cap = cap };
	size_t flen = fixed_len(msg->type);
	uint8_t *p;
	int rc;

	rc = check_encodable(msg);
	if (rc != 0)
		return rc;
	p = reserve(&w, MH_HDR_LEN + flen);
	if (p == NULL)
		return w.rc;
	p[0] = DSA_MH_PAYLOAD_PROTO;
	p[2] = msg->type;
	build_fixed(msg, p + MH_HDR_LEN);
	build_options(&msg->opt, &w);
	pad(&w, (8 - w.pos % 8) % 8);
	if (w.rc != 0)
		return w.rc;
	if (w.pos / 8 - 1 > 255)
		return -ENOSPC; /* longer than the header length field can say */
	buf[1] = (uint8_t)(w.pos / 8 - 1);
	*len = w.pos;
	return 0;
}

/* ---------------------------------------------------------------- */
/* Checksum                                                          */

static uint32_t
sum_bytes(const uint8_t *p, size_t n, uint32_t s)
{
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		s += (uint32_t)p[i] << 8 | p[i + 1];
	if (n & 1)
		s += (uint32_t)p[n - 1] << 8;
	return s;
}

static uint16_t
fold(uint64_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

/* Sum of pseudo-header and message, checksum field excluded (taken as 0). */
static uint16_t
mh_sum(const uint8_t src[16], const uint8_t dst[16], const uint8_t *mh, size_t len)
{
	uint64_t s = 0;

	s += sum_bytes(src, 16, 0);
	s += sum_bytes(dst, 16, 0);
	s += (uint32_t)(len >> 16) + (uint32_t)(len & 0xffff); /* upper-layer length */
	s += 135;                                              /* next header */
	s += sum_bytes(mh, 4, 0);
	s += sum_bytes(mh + 6, len - 6, 0);
	return fold(s);
}

uint16_t
dsa_mh_checksum(const uint8_t src[16], const uint8_t dst[16], const uint8_t *mh, size_t len)
{
	return (uint16_t)~mh_sum(src, dst, mh, len);
}

void
dsa_mh_set_checksum(const uint8_t src[16], const uint8_t dst[16], uint8_t *mh, size_t len)
{
	put16(mh + 4, dsa_mh_checksum(src, dst, mh, len));
}

bool
dsa_mh_checksum_ok(const uint8_t src[16], const uint8_t dst[16], const uint8_t *mh, size_t len)
{
	return fold((uint32_t)mh_sum(src, dst, mh, len) + get16(mh + 4)) == 0xffff;
}

void
dsa_mh_v4mapped(uint32_t v4_be, uint8_t out[16])
{
	memset(out, 0, 10);
	out[10] = 0xff;
	out[11] = 0xff;
	memcpy(out + 12, &v4_be, 4);
}
