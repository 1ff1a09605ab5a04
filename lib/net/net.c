/* SPDX-License-Identifier: BSD-3-Clause */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "dsa_net.h"

int
dsa_addr_parse(const char *s, struct dsa_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (s == NULL)
		return -EINVAL;
	if (strchr(s, ':') != NULL) {
		if (inet_pton(AF_INET6, s, a->v6) != 1)
			return -EINVAL;
		a->af = AF_INET6;
		return 0;
	}
	if (inet_pton(AF_INET, s, &a->v4) != 1)
		return -EINVAL;
	a->af = AF_INET;
	return 0;
}

static bool
host_bits_zero(const struct dsa_addr *a, unsigned int len)
{
	const uint8_t *b = a->af == AF_INET ? (const uint8_t *)&a->v4 : a->v6;
	unsigned int bytes = a->af == AF_INET ? 4 : 16;

	for (unsigned int i = 0; i < bytes; i++) {
		unsigned int first = i * 8;
		uint8_t mask;

		if (first + 8 <= len)
			continue;
		mask = first >= len ? 0xff : (uint8_t)(0xff >> (len - first));
		if (b[i] & mask)
			return false;
	}
	return true;
}

int
dsa_prefix_parse(const char *s, struct dsa_prefix *p)
{
	char buf[DSA_PREFIX_STRLEN];
	char *slash, *end;
	unsigned long len;
	unsigned int max;

	memset(p, 0, sizeof(*p));
	if (s == NULL || strlen(s) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, s);
	slash = strchr(buf, '/');
	if (slash != NULL)
		*slash = '\0';
	if (dsa_addr_parse(buf, &p->addr) < 0)
		return -EINVAL;
	max = p->addr.af == AF_INET ? 32 : 128;
	if (slash == NULL) {
		p->len = max;
		return 0;
	}
	if (slash[1] == '\0')
		return -EINVAL;
	errno = 0;
	len = strtoul(slash + 1, &end, 10);
	if (errno != 0 || *end != '\0' || len > max)
		return -EINVAL;
	p->len = len;
	if (!host_bits_zero(&p->addr, p->len))
		return -EINVAL;
	return 0;
}

const char *
dsa_addr_fmt(const struct dsa_addr *a, char *buf, size_t len)
{
	if (a->af == AF_INET)
		inet_ntop(AF_INET, &a->v4, buf, len);
	else if (a->af == AF_INET6)
		inet_ntop(AF_INET6, a->v6, buf, len);
	else
		snprintf(buf, len, "unset");
	return buf;
}

const char *
dsa_prefix_fmt(const struct dsa_prefix *p, char *buf, size_t len)
{
	char a[DSA_ADDR_STRLEN];

	snprintf(buf, len, "%s/%u", dsa_addr_fmt(&p->addr, a, sizeof(a)), p->len);
	return buf;
}

int
dsa_mac_parse(const char *s, struct rte_ether_addr *mac)
{
	unsigned int b[6];
	char tail;

	if (s == NULL || sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3], &b[4],
	                         &b[5], &tail) != 6)
		return -EINVAL;
	for (int i = 0; i < 6; i++)
		mac->addr_bytes[i] = b[i];
	return 0;
}

bool
dsa_prefix_contains(const struct dsa_prefix *p, const struct dsa_addr *addr)
{
	const uint8_t *x, *y;
	unsigned int full, rem;

	if (p->addr.af != addr->af)
		return false;
	x = p->addr.af == AF_INET ? (const uint8_t *)&p->addr.v4 : p->addr.v6;
	y = addr->af == AF_INET ? (const uint8_t *)&addr->v4 : addr->v6;
	full = p->len / 8;
	rem = p->len % 8;
	if (memcmp(x, y, full) != 0)
		return false;
	if (rem == 0)
		return true;
	return ((x[full] ^ y[full]) & (uint8_t)(0xff << (8 - rem))) == 0;
}
