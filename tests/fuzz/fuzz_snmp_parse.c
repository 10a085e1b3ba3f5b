/* libFuzzer target: what the snmp and 3com drivers decode from walked
 * tables for the wiring check: LLDP-MIB rows (lldpRemTable,
 * lldpLocPortTable) with any index and any value, the forwarding database
 * rows, and what is made of them (the local port, the neighbours as text,
 * the MACs of a port). The input is a series of records:
 *   table(1) column(1) index length(1) index(4 bytes each) value length(1)
 *   value(bytes) integer(4)
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/snmp_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool take(const uint8_t **d, size_t *n, void *out, size_t len)
{
	if (*n < len)
		return false;
	memcpy(out, *d, len);
	*d += len;
	*n -= len;
	return true;
}

static void check_text(const char *s, size_t cap)
{
	size_t n = strnlen(s, cap);

	if (n >= cap)
		abort();
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] >= 0x7f)
			abort();	/* what reaches a terminal is printable */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lldp_tables t = { 0 };
	struct fdb f = { 0 };
	struct lldp_list out = { 0 };
	struct mac_list macs = { 0 };
	uint8_t table, column, ilen, vlen, val[256];
	snmp_subid idx[16];
	int32_t ival;

	while (take(&data, &size, &table, 1) && take(&data, &size, &column, 1) && take(&data, &size, &ilen, 1)) {
		uint32_t raw;

		ilen %= 16;
		for (uint8_t i = 0; i < ilen; i++) {
			if (!take(&data, &size, &raw, 4))
				goto done;
			idx[i] = raw;
		}
		if (!take(&data, &size, &vlen, 1) || !take(&data, &size, val, vlen) || !take(&data, &size, &ival, 4))
			break;
		switch (table % 5) {
		case 0: lldp_rem_put(&t, column, idx, ilen, val, vlen, ival); break;
		case 1: lldp_loc_put(&t, column, idx, ilen, val, vlen, ival); break;
		case 2: fdb_put_qport(&f, idx, ilen, ival); break;
		case 3: fdb_put_h3c_port(&f, idx, ilen, ival); break;
		default: fdb_put_qstatus(&f, idx, ilen, ival); break;
		}
	}
done:
	for (size_t i = 0; i < t.nloc; i++) {
		long num = lldp_local_port(&t, t.loc[i].num, "port2", "GigabitEthernet0/2");

		lldp_neighbors_on(&t, num, &out);
	}
	lldp_neighbors_on(&t, 2, &out);
	for (size_t i = 0; i < out.n; i++) {
		check_text(out.v[i].sysname, sizeof out.v[i].sysname);
		check_text(out.v[i].chassis, sizeof out.v[i].chassis);
		check_text(out.v[i].port_id, sizeof out.v[i].port_id);
		check_text(out.v[i].port_descr, sizeof out.v[i].port_descr);
	}
	for (size_t i = 0; i < f.n; i++)
		fdb_port_macs(&f, f.v[i].ifindex, &macs);
	if (macs.n > f.n)
		abort();
	mac_list_free(&macs);
	lldp_list_free(&out);
	lldp_tables_free(&t);
	fdb_free(&f);
	return 0;
}
