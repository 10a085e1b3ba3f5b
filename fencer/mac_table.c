#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fencer/alloc.h"
#include "fencer/config.h"
#include "fencer/mac_table.h"

static size_t mac_hash(const uint8_t m[6], uint16_t vlan)
{
	/* FNV-1a: host MACs share vendor prefixes, so mix every byte. */
	uint32_t h = 2166136261u;

	for (int i = 0; i < 6; i++)
		h = (h ^ m[i]) * 16777619u;
	h = (h ^ (vlan & 0xff)) * 16777619u;
	return (h ^ (vlan >> 8)) * 16777619u;
}

static size_t *slot_of(const struct mac_table *t, const uint8_t mac[6], uint16_t vlan, size_t *slot)
{
	size_t mask = t->nindex - 1;

	for (*slot = mac_hash(mac, vlan) & mask; t->index[*slot]; *slot = (*slot + 1) & mask) {
		const struct mac_entry *e = &t->v[t->index[*slot] - 1];

		if (e->vlan == vlan && memcmp(e->mac, mac, 6) == 0)
			return slot;
	}
	return NULL;
}

static int reindex(struct mac_table *t, size_t nindex)
{
	uint32_t *idx = xcalloc(nindex, sizeof *idx);
	size_t slot;

	free(t->index);
	t->index = idx;
	t->nindex = nindex;
	for (size_t i = 0; i < t->n; i++) {
		slot_of(t, t->v[i].mac, t->v[i].vlan, &slot);
		t->index[slot] = (uint32_t)(i + 1);
	}
	return 0;
}

static int grow(struct mac_table *t)
{
	size_t cap = t->cap ? t->cap * 2 : 64;
	t->v = xrealloc(t->v, cap, sizeof *t->v);
	t->cap = cap;
	return reindex(t, cap * 2);
}

const struct mac_entry *mac_table_find(const struct mac_table *t, const uint8_t mac[6], uint16_t vlan)
{
	size_t slot;

	if (!t->nindex || !slot_of(t, mac, vlan, &slot))
		return NULL;
	return &t->v[t->index[slot] - 1];
}

int mac_table_see(struct mac_table *t, const uint8_t mac[6], uint16_t vlan, const char *port,
    long long now_ms)
{
	struct mac_entry *e = (struct mac_entry *)mac_table_find(t, mac, vlan);
	size_t slot;

	if (!e) {
		if (t->n == t->cap && grow(t) < 0)
			return -1;
		e = &t->v[t->n++];
		memcpy(e->mac, mac, 6);
		e->vlan = vlan;
		e->last_seen_ms = now_ms;
		slot_of(t, mac, vlan, &slot);
		t->index[slot] = (uint32_t)t->n;
	}
	snprintf(e->port, sizeof e->port, "%s", port);
	if (now_ms > e->last_seen_ms)
		e->last_seen_ms = now_ms;
	return 0;
}

int mac_table_see_frame(struct mac_table *t, const uint8_t mac[6], uint16_t vlan, const char *port,
    long long now_ms, long long frame_us)
{
	struct mac_entry *e = (struct mac_entry *)mac_table_find(t, mac, vlan);

	if (e && strcmp(e->port, port) != 0 && frame_us >= e->frame_us && frame_us - e->frame_us < MAC_ECHO_US)
		return 0;
	if (mac_table_see(t, mac, vlan, port, now_ms) < 0)
		return -1;
	((struct mac_entry *)mac_table_find(t, mac, vlan))->frame_us = frame_us;
	return 0;
}

size_t mac_table_age(struct mac_table *t, long long now_ms, long age_ms)
{
	size_t kept = 0, gone;

	for (size_t i = 0; i < t->n; i++)
		if (now_ms - t->v[i].last_seen_ms <= age_ms)
			t->v[kept++] = t->v[i];
	gone = t->n - kept;
	t->n = kept;
	if (gone && t->nindex)
		reindex(t, t->nindex);	/* same size: cannot fail to fit, only to allocate */
	return gone;
}

void mac_table_free(struct mac_table *t)
{
	free(t->v);
	free(t->index);
	memset(t, 0, sizeof *t);
}

char *mac_table_to_json(const struct mac_table *t, long long now_ms)
{
	json_t *doc = json_object(), *macs = json_array();
	char *s, mac[18];

	for (size_t i = 0; i < t->n; i++) {
		const struct mac_entry *e = &t->v[i];
		json_t *o;

		snprintf(mac, sizeof mac, "%02x:%02x:%02x:%02x:%02x:%02x",
		    e->mac[0], e->mac[1], e->mac[2], e->mac[3], e->mac[4], e->mac[5]);
		o = json_pack("{s:s}", "mac", mac);
		if (e->vlan != VLAN_UNTAGGED)
			json_object_set_new(o, "vlan", json_integer(e->vlan));
		json_object_set_new(o, "port", json_string(e->port));
		json_object_set_new(o, "last_seen", json_integer((json_int_t)e->last_seen_ms));
		json_array_append_new(macs, o);
	}
	json_object_set_new(doc, "updated", json_integer(now_ms));
	json_object_set_new(doc, "macs", macs);
	s = json_dumps(doc, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	json_decref(doc);
	return s;
}

static bool entry_from_json(json_t *o, struct mac_table *t)
{
	const char *mac = NULL, *port = NULL;
	json_int_t seen = 0, vlan = VLAN_UNTAGGED;
	uint8_t m[6];

	if (json_unpack(o, "{s:s, s?I, s:s, s:I}", "mac", &mac, "vlan", &vlan, "port", &port,
	    "last_seen", &seen) < 0)
		return false;
	if (!parse_mac(mac, m) || (m[0] & 1) || !*port || strlen(port) >= IF_NAMESIZE)
		return false;
	if (vlan < VLAN_UNTAGGED || vlan > VLAN_MAX)
		return false;
	return mac_table_see(t, m, (uint16_t)vlan, port, seen) == 0;
}

int mac_table_from_json(struct mac_table *t, const char *text, char *err, size_t errlen)
{
	json_error_t je;
	json_t *doc = json_loads(text, 0, &je), *macs, *o;
	struct mac_table fresh = { 0 };
	size_t i;

	if (!doc) {
		snprintf(err, errlen, "line %d: %s", je.line, je.text);
		return -1;
	}
	if (!(macs = json_object_get(doc, "macs")) || !json_is_array(macs)) {
		snprintf(err, errlen, "no \"macs\" array");
		goto fail;
	}
	json_array_foreach(macs, i, o) {
		if (!entry_from_json(o, &fresh)) {
			snprintf(err, errlen, "entry %zu: needs mac (unicast), port and last_seen; vlan, "
			    "if given, 0-%d", i + 1, VLAN_MAX);
			goto fail;
		}
	}
	json_decref(doc);
	mac_table_free(t);
	*t = fresh;
	return 0;
fail:
	json_decref(doc);
	mac_table_free(&fresh);
	return -1;
}
