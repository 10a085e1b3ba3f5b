/* libFuzzer target: the Junos NETCONF answer parsers (libxml2) on whatever
 * a switch sends: the hello, an rpc-reply with its errors, the interface's
 * admin status, the software version. Every string stays bounded. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/junos_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *xml = (const char *)data;
	struct nc_hello h;
	struct nc_reply r;
	char err[200], text[700], info[256];

	if (nc_hello_parse(xml, size, &h, err, sizeof err) < 0 && strlen(err) >= sizeof err)
		abort();
	if (nc_reply_parse(xml, size, "1", &r, err, sizeof err) == 0) {
		if (strlen(r.error.message) >= sizeof r.error.message || strlen(r.first) >= sizeof r.first ||
		    strlen(r.output) >= sizeof r.output ||
		    r.nerrors < 0 || r.nwarnings < 0)
			abort();
		nc_error_text(&r.error, text, sizeof text);
	}
	junos_admin_status(xml, size, "ge-0/0/1");
	{
		struct mac_list m = { 0 };
		size_t others;

		if (junos_table_macs(xml, size, "ge-0/0/1", &m, &others) && m.n > size)
			abort();
		mac_list_free(&m);
	}
	{
		struct lldp_list l = { 0 };

		junos_lldp_neighbors(xml, size, &l);
		for (size_t i = 0; i < l.n; i++)
			if (strlen(l.v[i].sysname) >= sizeof l.v[i].sysname || strlen(l.v[i].chassis) >= sizeof l.v[i].chassis ||
			    strlen(l.v[i].port_id) >= sizeof l.v[i].port_id)
				abort();
		lldp_list_free(&l);
	}
	if (junos_software(xml, size, info, sizeof info) && strlen(info) >= sizeof info)
		abort();
	return 0;
}
