/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef DSA_MH_H
#define DSA_MH_H

/*
 * The Mobility Header codec (RFC 6275 §6.1) for the messages a Proxy
 * Mobile IPv6 LMA exchanges: (Proxy) Binding Update / Acknowledgement,
 * Binding Error, Heartbeat (RFC 5847) and Binding Revocation (RFC 5846),
 * with the PMIPv6 mobility options (RFC 4283, 4285, 5213, 5844, 5845,
 * 5847). Wire formats, alignments and the assumptions made are listed in
 * docs/protocol.md ("Mobility Header").
 *
 * The codec works on plain buffers: it needs no EAL, no mbuf and no memory
 * allocation. Every function is pure (no global state) and may be called
 * from any thread or lcore at the same time as any other.
 *
 * Ownership: dsa_mh_parse() copies every value into the caller's struct,
 * except the authentication data (msg->opt.auth.data), which points into
 * the parsed buffer and is valid only as long as that buffer is.
 *
 * Byte order: IPv4 addresses are kept in network order (as dsa_addr.v4);
 * every other integer field is in host order.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Mobility Header types handled (others parse as DSA_MH_E_UNKNOWN_TYPE). */
#define DSA_MH_TYPE_BU 5  /* Binding Update; with the P flag a PBU */
#define DSA_MH_TYPE_BA 6  /* Binding Acknowledgement; with P a PBA */
#define DSA_MH_TYPE_BE 7  /* Binding Error */
#define DSA_MH_TYPE_HB 13 /* Heartbeat (RFC 5847) */
#define DSA_MH_TYPE_BR 16 /* Binding Revocation (RFC 5846) */

#define DSA_MH_PAYLOAD_PROTO 59   /* IPPROTO_NONE: the only value accepted */
#define DSA_MH_UDP_PORT      5436 /* PMIPv6 over IPv4 transport (RFC 5844 §4) */

/* Binding Update flags (the 16-bit word after the sequence number). */
#define DSA_MH_BU_A    0x8000 /* acknowledge */
#define DSA_MH_BU_H    0x4000 /* home registration */
#define DSA_MH_BU_L    0x2000 /* link-local compatibility */
#define DSA_MH_BU_K    0x1000 /* key management mobility */
#define DSA_MH_BU_M    0x0800 /* MAP registration (RFC 5380) */
#define DSA_MH_BU_R    0x0400 /* mobile router (RFC 3963) */
#define DSA_MH_BU_P    0x0200 /* proxy registration (RFC 5213) */
#define DSA_MH_BU_F    0x0100 /* force UDP encapsulation (RFC 5555) */
#define DSA_MH_BU_T    0x0080 /* TLV-header format (RFC 5845) */
#define DSA_MH_BU_B    0x0040 /* bulk binding (RFC 6602) */
#define DSA_MH_BU_MASK 0xffc0

/* Binding Acknowledgement flags (the byte after the status). */
#define DSA_MH_BA_K    0x80
#define DSA_MH_BA_R    0x40
#define DSA_MH_BA_P    0x20
#define DSA_MH_BA_T    0x10
#define DSA_MH_BA_B    0x08
#define DSA_MH_BA_MASK 0xf8

/* Binding Revocation (RFC 5846): B.R. type and flags (16-bit word). */
#define DSA_MH_BR_BRI  1      /* Binding Revocation Indication */
#define DSA_MH_BR_BRA  2      /* Binding Revocation Acknowledgement */
#define DSA_MH_BR_P    0x8000 /* proxy binding */
#define DSA_MH_BR_V    0x4000 /* IPv4 HoA binding only */
#define DSA_MH_BR_G    0x2000 /* global (per-peer) revocation */
#define DSA_MH_BR_MASK 0xe000

/* Heartbeat flags (RFC 5847). */
#define DSA_MH_HB_U    0x02 /* unsolicited */
#define DSA_MH_HB_R    0x01 /* response */
#define DSA_MH_HB_MASK 0x03

/* Binding Error status (RFC 6275 §6.1.9). */
#define DSA_MH_BE_UNKNOWN_HAO  1
#define DSA_MH_BE_UNKNOWN_TYPE 2

/* Mobility option types. */
#define DSA_MH_OPT_PAD1      0
#define DSA_MH_OPT_PADN      1
#define DSA_MH_OPT_ACOA      3  /* Alternate Care-of Address */
#define DSA_MH_OPT_MNID      8  /* RFC 4283 */
#define DSA_MH_OPT_AUTH      9  /* RFC 4285 */
#define DSA_MH_OPT_HNP       22 /* RFC 5213 ... */
#define DSA_MH_OPT_HI        23
#define DSA_MH_OPT_ATT       24
#define DSA_MH_OPT_LLID      25
#define DSA_MH_OPT_LLA       26
#define DSA_MH_OPT_TS        27
#define DSA_MH_OPT_RC        28 /* RFC 5847 */
#define DSA_MH_OPT_GRE       33 /* RFC 5845 */
#define DSA_MH_OPT_V4HOA_REQ 36 /* RFC 5844 ... */
#define DSA_MH_OPT_V4HOA_REP 37
#define DSA_MH_OPT_V4DR      38
#define DSA_MH_OPT_V4DHCP    39

/* Bits of dsa_mh_opts.present, one per singleton option. HNP, which may
 * repeat, is present when n_hnp > 0. */
enum dsa_mh_opt_bit {
	DSA_MH_HAS_MNID = 1u << 0,
	DSA_MH_HAS_HI = 1u << 1,
	DSA_MH_HAS_ATT = 1u << 2,
	DSA_MH_HAS_LLID = 1u << 3,
	DSA_MH_HAS_LLA = 1u << 4,
	DSA_MH_HAS_TS = 1u << 5,
	DSA_MH_HAS_RC = 1u << 6,
	DSA_MH_HAS_GRE = 1u << 7,
	DSA_MH_HAS_V4HOA_REQ = 1u << 8,
	DSA_MH_HAS_V4HOA_REP = 1u << 9,
	DSA_MH_HAS_V4DR = 1u << 10,
	DSA_MH_HAS_V4DHCP = 1u << 11,
	DSA_MH_HAS_ACOA = 1u << 12,
	DSA_MH_HAS_AUTH = 1u << 13,
};

#define DSA_MH_MAX_HNP    4
#define DSA_MH_MNID_MAX   254 /* option length 255 minus the subtype byte */
#define DSA_MH_LLID_MAX   16
#define DSA_MH_MNID_NAI   1 /* RFC 4283 subtype */
#define DSA_MH_AUTH_MNHA  1 /* RFC 4285 subtypes */
#define DSA_MH_AUTH_MNAAA 2
#define DSA_MH_V4DHCP_S   0x0001 /* DHCP Support Mode: LMA is DHCP server */

struct dsa_mh_opts {
	uint32_t present;   /* enum dsa_mh_opt_bit */
	uint16_t n_unknown; /* unrecognised options skipped (RFC 6275 §6.2.1) */
	uint8_t n_hnp;
	struct {
		uint8_t subtype; /* DSA_MH_MNID_NAI... */
		uint8_t len;     /* 1..DSA_MH_MNID_MAX */
		uint8_t id[DSA_MH_MNID_MAX];
	} mnid;
	struct {
		uint8_t plen; /* 0..128 */
		uint8_t prefix[16];
	} hnp[DSA_MH_MAX_HNP];
	uint8_t hi;  /* Handoff Indicator */
	uint8_t att; /* Access Technology Type */
	struct {
		uint8_t len; /* 1..DSA_MH_LLID_MAX */
		uint8_t id[DSA_MH_LLID_MAX];
	} llid;
	uint8_t lla[16];    /* link-local address */
	uint8_t acoa[16];   /* alternate care-of address */
	uint64_t timestamp; /* NTP format: seconds << 32 | fraction */
	uint32_t restart_counter;
	struct {
		bool has_key; /* false: option of length 2, reserved only */
		uint32_t key;
	} gre;
	struct {
		uint8_t plen;  /* 0..32 */
		uint32_t addr; /* network order; 0.0.0.0 asks for one */
	} v4hoa_req;
	struct {
		uint8_t status;
		uint8_t plen;
		uint32_t addr; /* network order */
	} v4hoa_rep;
	uint32_t v4dr;   /* IPv4 default router, network order */
	uint16_t v4dhcp; /* DHCP Support Mode flags: DSA_MH_V4DHCP_S */
	struct {
		uint8_t subtype; /* DSA_MH_AUTH_MNHA... */
		uint32_t spi;
		const uint8_t *data; /* authenticator; into the parsed buffer */
		uint8_t data_len;
		/* Parse only: offset of the option's type byte from the start of
		 * the MH, and of the authenticator. The MAC covers the message up
		 * to data_off (RFC 4285 §5), with the MH checksum as zero. */
		uint16_t opt_off;
		uint16_t data_off;
	} auth;
};

struct dsa_mh_msg {
	uint8_t type; /* DSA_MH_TYPE_* */
	uint16_t len; /* parse: the MH's length in octets, (hdr_len + 1) * 8 */
	union {
		struct {
			uint16_t seq;
			uint16_t flags;    /* DSA_MH_BU_* */
			uint16_t lifetime; /* units of 4 s */
		} bu;
		struct {
			uint8_t status;
			uint8_t flags; /* DSA_MH_BA_* */
			uint16_t seq;
			uint16_t lifetime; /* units of 4 s */
		} ba;
		struct {
			uint8_t status; /* DSA_MH_BE_* */
			uint8_t home[16];
		} be;
		struct {
			uint8_t br_type;        /* DSA_MH_BR_BRI or DSA_MH_BR_BRA */
			uint8_t trigger_status; /* BRI: revocation trigger; BRA: status */
			uint16_t seq;
			uint16_t flags; /* DSA_MH_BR_* */
		} br;
		struct {
			uint8_t flags; /* DSA_MH_HB_* */
			uint32_t seq;
		} hb;
	};
	struct dsa_mh_opts opt;
};

/* Why a parse failed. */
enum dsa_mh_errcode {
	DSA_MH_E_NONE = 0,
	DSA_MH_E_TRUNCATED,         /* buffer shorter than the MH says it is */
	DSA_MH_E_BAD_PAYLOAD_PROTO, /* payload proto is not 59 */
	DSA_MH_E_UNKNOWN_TYPE,      /* answer with Binding Error status 2 */
	DSA_MH_E_BAD_LENGTH,        /* header length too short for the type */
	DSA_MH_E_BAD_FIELD,         /* a fixed field out of range (B.R. type) */
	DSA_MH_E_OPTION_OVERRUN,    /* an option runs past the message */
	DSA_MH_E_BAD_OPTION_LENGTH, /* an option's length is wrong for its type */
	DSA_MH_E_BAD_OPTION_VALUE,  /* e.g. a prefix length above 128 */
	DSA_MH_E_DUPLICATE_OPTION,  /* a singleton option seen twice */
	DSA_MH_E_TOO_MANY_OPTIONS,  /* more than DSA_MH_MAX_HNP HNP options */
	DSA_MH_E_OPTION_AFTER_AUTH, /* authentication must be the last option */
};

struct dsa_mh_err {
	enum dsa_mh_errcode code;
	const char *reason; /* short static string */
	size_t offset;      /* byte of the MH where the parse failed */
};

/*
 * Parse the Mobility Header at buf (len bytes available; bytes beyond the
 * MH's own length are ignored). Reads nothing outside buf[0..len). err may
 * be NULL. msg is fully overwritten (zeroed first), even on failure.
 *
 * Returns 0, or
 *   -EBADMSG          TRUNCATED, BAD_PAYLOAD_PROTO, BAD_LENGTH: drop (for
 *                     BAD_LENGTH RFC 6275 suggests ICMP Parameter Problem);
 *   -EPROTONOSUPPORT  UNKNOWN_TYPE: answer with Binding Error status 2;
 *   -EINVAL           a bad fixed field or option: drop (or answer per RFC).
 */
int dsa_mh_parse(const uint8_t *buf, size_t len, struct dsa_mh_msg *msg, struct dsa_mh_err *err);

/*
 * Write msg into buf: the fixed part, then each present option in a fixed
 * canonical order (docs/protocol.md), with Pad1/PadN inserted for each
 * option's alignment, the authentication option last, and the whole padded
 * to a multiple of 8 octets. The checksum is left 0: fill it with
 * dsa_mh_set_checksum() once the addresses are known. *len gets the length.
 *
 * Returns 0, -ENOSPC when cap is too small (buf contents then undefined),
 * or -EINVAL when msg cannot be encoded (unknown type, n_hnp above the
 * maximum, an identifier length out of range).
 */
int dsa_mh_build(const struct dsa_mh_msg *msg, uint8_t *buf, size_t cap, size_t *len);

/*
 * The MH checksum (RFC 6275 §6.1.1): one's complement of the one's
 * complement sum of the IPv6 pseudo-header (src, dst, upper-layer length =
 * len, next header 135) and the len bytes at mh, with the checksum field
 * (bytes 4-5) taken as zero. Returned in host order; store it big-endian.
 * For IPv4 transport (UDP 5436) see docs/protocol.md: the caller passes
 * IPv4-mapped addresses (dsa_mh_v4mapped) or skips the check by policy.
 * len must be at least 6.
 */
uint16_t dsa_mh_checksum(
        const uint8_t src[16], const uint8_t dst[16], const uint8_t *mh, size_t len);
/* Compute and store the checksum in mh[4..5]. len >= 6. */
void dsa_mh_set_checksum(const uint8_t src[16], const uint8_t dst[16], uint8_t *mh, size_t len);
/* True when the checksum stored in mh[4..5] is right. len >= 6. */
bool dsa_mh_checksum_ok(
        const uint8_t src[16], const uint8_t dst[16], const uint8_t *mh, size_t len);
/* ::ffff:a.b.c.d from a network-order IPv4 address. */
void dsa_mh_v4mapped(uint32_t v4_be, uint8_t out[16]);

/* Name of an error code ("truncated", ...), for logs and counters. */
const char *dsa_mh_errname(enum dsa_mh_errcode code);

#endif /* DSA_MH_H */
