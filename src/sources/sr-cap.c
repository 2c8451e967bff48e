/* sr-cap.c - OASIS CAP 1.2 (and 1.1) alerts and their Atom/RSS index feeds, read with libxml2
 *
 * CAP: http://docs.oasis-open.org/emergency/cap/v1.2/CAP-v1.2-os.html; index feeds: OASIS
 * "Example Practices: CAP Feeds v1.0"; MeteoAlarm's legacy Atom (with its non-standard
 * cap:message_type). Publishers deviate from the schema in documented ways (Z and fractions in
 * dates, open or empty polygons, parentheses in coordinates, references wrapped across lines);
 * those are read, anything that is not a CAP document is an error.
 *
 * The XML is hostile until proven otherwise: no network, no entities, no DTD (a DOCTYPE is
 * refused outright, which rules out XXE, billion laughs and quadratic blowup), a size cap
 * before parsing, a depth cap while parsing, and libxml2's messages kept per parse instead of
 * going to stderr.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sr-cap"

#include "config.h"

#include <math.h>
#include <string.h>

#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlversion.h>

#include "sirena/error.h"
#include "sirena/geo.h"
#include "sirena/json.h"
#include "sources/sr-cap.h"
#include "sources/sr-sources-private.h"
#include "sr-i18n.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC(xmlDoc, xmlFreeDoc)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(xmlParserCtxt, xmlFreeParserCtxt)

/* an alert is a few KiB, the largest seen (polygons of a whole coast) a few hundred; an index
 * lists up to a few hundred entries (MeteoAlarm's largest country feed is about 1 MB) */
#define CAP_MAX_SIZE   (4 * 1024 * 1024)
#define INDEX_MAX_SIZE (8 * 1024 * 1024)
/* a CAP alert is five levels deep, an Atom entry with XHTML content a few more */
#define XML_MAX_DEPTH 64
/* the root of a feed declares a few namespaces, an Atom link has four attributes, a feed with
 * CAP summaries and XHTML content uses a hundred names */
#define XML_MAX_ATTRIBUTES 128
#define XML_MAX_NAMESPACES 64
#define XML_MAX_NAMES      4096
/* NWS lists every unexpired message of an incident, a handful; more than this is abuse, and
 * every reference costs the event model a linear search */
#define CAP_MAX_TRIPLETS   4096
#define CAP_MAX_REFERENCES 256
/* one info per language; the event names of more are not searched for a kind */
#define CAP_MAX_KIND_INFOS 32
/* an entry's cap:expires without a zone could be in any zone up to UTC-12 */
#define ZONELESS_SLACK    (14 * 3600)

#define CAP_NS_12         "urn:oasis:names:tc:emergency:cap:1.2"
#define CAP_NS_11         "urn:oasis:names:tc:emergency:cap:1.1"
#define CAP_NS_12_PROFILE "urn:oasis:names:tc:emergency:cap:1.2:profile:"
#define ATOM_NS           "http://www.w3.org/2005/Atom"

/* libxml2 */

typedef struct {
	gboolean doctype;
	gboolean too_deep;
	char *message; /* the first error libxml2 reported, for the GError */
	int line;
} SrXmlGuard;

static SrXmlGuard *
xml_guard(void *user_data)
{
	/* the SAX user data of a parser context is the context itself */
	xmlParserCtxtPtr ctxt = user_data;
	return ctxt != NULL ? ctxt->_private : NULL;
}

/* a DOCTYPE is where entities and external DTDs come from; an alert or a feed has no use for
 * one, so the parse stops at its name, before any declaration in it is read */
static void
xml_guard_internal_subset(void *user_data, const xmlChar *name, const xmlChar *external_id,
                          const xmlChar *system_id)
{
	SrXmlGuard *guard = xml_guard(user_data);
	if (guard != NULL)
		guard->doctype = TRUE;
	xmlStopParser(user_data);
}

/* libxml2 alone stops at 256 levels; nothing we read is deeper than a handful, and the tree of
 * a deep document costs memory before any limit of ours could look at it */
static void
xml_guard_start_element(void *user_data, const xmlChar *localname, const xmlChar *prefix,
                        const xmlChar *uri, int nb_namespaces, const xmlChar **namespaces,
                        int nb_attributes, int nb_defaulted, const xmlChar **attributes)
{
	xmlParserCtxtPtr ctxt = user_data;
	if (ctxt->nameNr >= XML_MAX_DEPTH) {
		SrXmlGuard *guard = xml_guard(user_data);
		if (guard != NULL)
			guard->too_deep = TRUE;
		xmlStopParser(ctxt);
		return;
	}
	xmlSAX2StartElementNs(user_data, localname, prefix, uri, nb_namespaces, namespaces,
	                      nb_attributes, nb_defaulted, attributes);
}

/* the structured handler of this context gets every parser error; nothing reaches stderr or a
 * handler another part of the process installed */
#if LIBXML_VERSION >= 21200
static void
xml_guard_error(void *user_data, const xmlError *error)
#else
static void
xml_guard_error(void *user_data, xmlErrorPtr error)
#endif
{
	xmlParserCtxtPtr ctxt = user_data;
	SrXmlGuard *guard = xml_guard(user_data);
	if (guard == NULL || error == NULL || error->level < XML_ERR_ERROR)
		return;
	/* a broken document is refused whatever follows, and libxml2 would go on reading it (and
	 * filling its dictionary) without this; it stops the same way when out of memory */
	if (error->level == XML_ERR_FATAL && ctxt != NULL) {
		ctxt->instate = XML_PARSER_EOF;
		ctxt->disableSAX = 1;
	}
	if (guard->message == NULL && error->message != NULL) {
		g_autofree char *message = g_strstrip(g_strdup(error->message));
		guard->message = sr_source_excerpt(message);
		guard->line = error->line;
	}
}

/* the unstructured callbacks, which a few paths of libxml2 call directly */
static void
xml_guard_silent(void *user_data, const char *msg, ...)
{
}

/* the encoding the XML declaration of an ASCII-compatible body names, or NULL */
static char *
xml_declared_encoding(const char *body, gsize len)
{
	const gsize max = MIN(len, 1024);
	gsize end = 0;

	if (max < 5 || memcmp(body, "<?xml", 5) != 0)
		return NULL;
	for (end = 5; end + 1 < max; end++) {
		if (body[end] == '?' && body[end + 1] == '>')
			break;
	}
	for (gsize j = 5; j + 8 < end; j++) {
		gsize k = j + 8;
		gsize value = 0;
		char quote = '\0';
		if (memcmp(body + j, "encoding", 8) != 0)
			continue;
		while (k < end && g_ascii_isspace(body[k]))
			k++;
		if (k >= end || body[k] != '=')
			return NULL;
		k++;
		while (k < end && g_ascii_isspace(body[k]))
			k++;
		if (k >= end || (body[k] != '"' && body[k] != '\''))
			return NULL;
		quote = body[k++];
		value = k;
		while (k < end && body[k] != quote)
			k++;
		return g_strndup(body + value, k - value);
	}
	return NULL;
}

/* @body as UTF-8 without a BOM, converted from the encoding its BOM, first bytes or XML
 * declaration say, the way XML 1.0 appendix F finds it. libxml2 could convert, but reports a
 * conversion error to stderr, past any handler of ours; and a NUL would end its view of the
 * body early. Returns @body itself or *@converted; NULL with the error set when the body is
 * not valid text in its encoding */
static const char *
xml_to_utf8(const char *body, gsize len, gsize *out_len, char **converted, const char *what,
            GError **error)
{
	static const struct {
		const char *bytes;
		gsize n;
		const char *encoding;
		gsize bom;
	} signatures[] = {
	    {"\x00\x00\xfe\xff", 4, "UTF-32BE", 4}, {"\xff\xfe\x00\x00", 4, "UTF-32LE", 4},
	    {"\xfe\xff", 2, "UTF-16BE", 2},         {"\xff\xfe", 2, "UTF-16LE", 2},
	    {"\xef\xbb\xbf", 3, "UTF-8", 3},        {"\x00\x00\x00<", 4, "UTF-32BE", 0},
	    {"<\x00\x00\x00", 4, "UTF-32LE", 0},    {"\x00<\x00?", 4, "UTF-16BE", 0},
	    {"<\x00?\x00", 4, "UTF-16LE", 0},
	};
	g_autofree char *declared = NULL;
	const char *encoding = "UTF-8";
	gsize bom = 0;
	gboolean found = FALSE;

	for (guint i = 0; i < G_N_ELEMENTS(signatures) && !found; i++) {
		if (len >= signatures[i].n &&
		    memcmp(body, signatures[i].bytes, signatures[i].n) == 0) {
			encoding = signatures[i].encoding;
			bom = signatures[i].bom;
			found = TRUE;
		}
	}
	if (!found)
		declared = xml_declared_encoding(body, len);
	/* a declared UTF-16 in bytes that read as ASCII is UTF-8 mislabelled (libxml2 says so
	 * too); anything else named is converted */
	if (declared != NULL && g_ascii_strncasecmp(declared, "UTF-16", 6) != 0 &&
	    g_ascii_strncasecmp(declared, "UTF-32", 6) != 0 &&
	    g_ascii_strncasecmp(declared, "UCS-", 4) != 0 &&
	    g_ascii_strcasecmp(declared, "UTF-8") != 0 && g_ascii_strcasecmp(declared, "UTF8") != 0)
		encoding = declared;
	body += bom;
	len -= bom;

	if (g_ascii_strcasecmp(encoding, "UTF-8") != 0) {
		g_autoptr(GError) local = NULL;
		gsize n = 0;
		for (const char *p = encoding; *p != '\0'; p++) {
			if (!g_ascii_isalnum(*p) && *p != '-' && *p != '_' && *p != '.' &&
			    *p != ':') {
				g_set_error(error, SR_ERROR, SR_ERROR_PARSE,
				            _("an unknown encoding, not a %s"), what);
				return NULL;
			}
		}
		*converted = g_convert(body, (gssize)len, "UTF-8", encoding, NULL, &n, &local);
		if (*converted == NULL) {
			g_autofree char *shown = sr_source_excerpt(encoding);
			if (g_error_matches(local, G_CONVERT_ERROR, G_CONVERT_ERROR_NO_CONVERSION))
				g_set_error(error, SR_ERROR, SR_ERROR_PARSE,
				            _("an unknown encoding '%s', not a %s"), shown, what);
			else
				g_set_error(error, SR_ERROR, SR_ERROR_PARSE,
				            _("not valid %s, not a %s"), shown, what);
			return NULL;
		}
		body = *converted;
		len = n;
	}
	if (!g_utf8_validate_len(body, len, NULL)) {
		g_set_error(error, SR_ERROR, SR_ERROR_PARSE,
		            _("the body is not valid UTF-8, not a %s"), what);
		return NULL;
	}
	*out_len = len;
	return body;
}

/* the offset of @needle in @body from @from on, or @len when it is not there */
static gsize
find_bytes(const char *body, gsize len, gsize from, const char *needle)
{
	gsize n = strlen(needle);
	for (gsize i = from; i + n <= len; i++) {
		if (body[i] == needle[0] && memcmp(body + i, needle, n) == 0)
			return i;
	}
	return len;
}

static gboolean
has_prefix_bytes(const char *body, gsize len, gsize at, const char *prefix)
{
	gsize n = strlen(prefix);
	return at + n <= len && memcmp(body + at, prefix, n) == 0;
}

static gboolean
is_name_byte(char c)
{
	return !g_ascii_isspace(c) && c != '/' && c != '>' && c != '<' && c != '=' && c != '"' &&
	       c != '\'' && c != '?';
}

/* The distinct names a prescan has seen. A first pass only counts names, repeats included: a
 * document with no more than XML_MAX_NAMES of them (nearly every CAP document) cannot have
 * more distinct ones, and no name is copied or hashed. Only past that count does a second
 * pass (@names non-NULL) tell the distinct ones apart. */
typedef struct {
	GHashTable *names; /* NULL: count only */
	GString *scratch;
	guint count;
} PrescanNames;

/* counts @name (of @n bytes); FALSE past the budget */
static gboolean
prescan_name(PrescanNames *seen, const char *name, gsize n)
{
	if (n == 0)
		return TRUE;
	if (seen->names == NULL)
		return ++seen->count <= XML_MAX_NAMES;
	g_string_truncate(seen->scratch, 0);
	g_string_append_len(seen->scratch, name, (gssize)n);
	if (!g_hash_table_contains(seen->names, seen->scratch->str))
		g_hash_table_add(seen->names, g_strdup(seen->scratch->str));
	return g_hash_table_size(seen->names) <= XML_MAX_NAMES;
}

/* libxml2 2.9 is quadratic in three things a body controls: the attributes of one tag (each is
 * compared with every other to find duplicates), the namespaces in scope (searched linearly
 * for every element), and the distinct names of the document (its dictionary): 1.6 MB of
 * attributes on one tag take minutes, 4 MB of distinct element names seconds. No alert or feed
 * comes near any of them, so a body that does is refused before libxml2 reads it. Tags,
 * quotes, comments, CDATA and processing instructions are all this lexer knows, which is all
 * a well-formed document needs; a malformed one stops libxml2 at its first fatal error
 * (xml_guard_error), before it can read further than this did. Returns what is exceeded, or
 * NULL. */
static const char *
xml_prescan_pass(const char *body, gsize len, PrescanNames *seen)
{
	guint namespaces[XML_MAX_DEPTH] = {0};
	guint depth = 0;
	guint in_scope = 0;
	gsize i = 0;

	while (i < len) {
		const char *lt = memchr(body + i, '<', len - i);
		guint n_attributes = 0;
		guint n_namespaces = 0;
		gboolean namespace_value = FALSE;
		gsize value_start = 0;
		gsize start = 0;
		char quote = '\0';

		if (lt == NULL)
			break;
		i = (gsize)(lt - body) + 1;
		if (has_prefix_bytes(body, len, i, "!--")) {
			i = find_bytes(body, len, i + 3, "-->");
			continue;
		}
		if (has_prefix_bytes(body, len, i, "![CDATA[")) {
			i = find_bytes(body, len, i + 8, "]]>");
			continue;
		}
		/* a DOCTYPE, or anything else of the kind, is where libxml2 stops */
		if (has_prefix_bytes(body, len, i, "!"))
			return NULL;
		if (has_prefix_bytes(body, len, i, "?")) {
			start = ++i;
			while (i < len && is_name_byte(body[i]))
				i++;
			if (!prescan_name(seen, body + start, i - start))
				return _("too many different names");
			i = find_bytes(body, len, i, "?>");
			continue;
		}
		if (has_prefix_bytes(body, len, i, "/")) {
			/* an end tag's name is its start tag's, already counted; one that is not
			 * is a fatal error, where libxml2 stops (xml_guard_error): it adds at most
			 * one name, so end tags are not looked up (half the names of a document) */
			i++;
			while (i < len && is_name_byte(body[i]))
				i++;
			if (depth > 0) {
				depth--;
				in_scope -= namespaces[depth];
			}
			continue;
		}
		start = i;
		while (i < len && is_name_byte(body[i]))
			i++;
		if (!prescan_name(seen, body + start, i - start))
			return _("too many different names");
		for (; i < len; i++) {
			char c = body[i];
			if (quote != '\0') {
				if (c != quote)
					continue;
				quote = '\0';
				/* a namespace's URI goes into the dictionary too */
				if (namespace_value &&
				    !prescan_name(seen, body + value_start, i - value_start))
					return _("too many different names");
				namespace_value = FALSE;
			} else if (c == '"' || c == '\'') {
				quote = c;
				value_start = i + 1;
			} else if (c == '=') {
				gsize end = i;
				gsize name_start = 0;
				if (++n_attributes > XML_MAX_ATTRIBUTES)
					return _("a tag with too many attributes");
				while (end > start && g_ascii_isspace(body[end - 1]))
					end--;
				name_start = end;
				while (name_start > start && is_name_byte(body[name_start - 1]))
					name_start--;
				if (!prescan_name(seen, body + name_start, end - name_start))
					return _("too many different names");
				namespace_value =
				    end - name_start >= 5 &&
				    memcmp(body + name_start, "xmlns", 5) == 0 &&
				    (end - name_start == 5 || body[name_start + 5] == ':');
				if (namespace_value)
					n_namespaces++;
			} else if (c == '>' || c == '<') {
				break;
			}
		}
		/* an empty element opens no scope */
		if (i < len && body[i] == '>' && body[i - 1] == '/')
			continue;
		/* deeper than this, the parser refuses it before reading further */
		if (depth >= XML_MAX_DEPTH)
			return NULL;
		namespaces[depth++] = n_namespaces;
		in_scope += n_namespaces;
		if (in_scope > XML_MAX_NAMESPACES)
			return _("too many namespaces in scope");
	}
	return NULL;
}

static const char *
xml_prescan(const char *body, gsize len)
{
	g_autoptr(GHashTable) names = NULL;
	g_autoptr(GString) scratch = NULL;
	PrescanNames seen = {NULL, NULL, 0};
	const char *exceeded = xml_prescan_pass(body, len, &seen);

	if (exceeded == NULL || seen.count <= XML_MAX_NAMES)
		return exceeded;
	names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	scratch = g_string_new(NULL);
	seen.names = names;
	seen.scratch = scratch;
	return xml_prescan_pass(body, len, &seen);
}

/* @body as a document: @what names it in errors ("CAP document", "index feed") */
static xmlDoc *
xml_read(const char *body, gsize len, gsize max_size, const char *what, GError **error)
{
	g_autoptr(xmlParserCtxt) ctxt = NULL;
	g_autoptr(xmlDoc) doc = NULL;
	SrXmlGuard guard = {FALSE, FALSE, NULL, 0};
	/* no NOENT (entity substitution), DTDLOAD or HUGE: what makes XML dangerous stays off */
	int options = XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_IGNORE_ENC;
	gboolean blank = TRUE;
	const char *exceeded = NULL;
	g_autofree char *converted = NULL;

#if LIBXML_VERSION >= 21300
	options |= XML_PARSE_NO_XXE;
#endif
	if (body == NULL || len == 0) {
		g_set_error(error, SR_ERROR, SR_ERROR_PARSE, _("the body is empty, not a %s"),
		            what);
		return NULL;
	}
	/* checked before libxml2 copies the body into its own buffer */
	if (len > max_size) {
		g_set_error(error, SR_ERROR, SR_ERROR_TOO_LARGE,
		            _("the body of %lu bytes is over the %lu bytes a %s may have"),
		            (unsigned long)len, (unsigned long)max_size, what);
		return NULL;
	}
	for (gsize i = 0; i < len && blank; i++)
		blank = g_ascii_isspace(body[i]);
	if (blank) {
		g_set_error(error, SR_ERROR, SR_ERROR_PARSE, _("the body is empty, not a %s"),
		            what);
		return NULL;
	}
	body = xml_to_utf8(body, len, &len, &converted, what, error);
	if (body == NULL)
		return NULL;

	exceeded = xml_prescan(body, len);
	if (exceeded != NULL) {
		g_set_error(error, SR_ERROR, SR_ERROR_PARSE, _("%s, not a %s"), exceeded, what);
		return NULL;
	}

	ctxt = xmlNewParserCtxt();
	if (ctxt == NULL || ctxt->sax == NULL) {
		g_set_error_literal(error, SR_ERROR, SR_ERROR_FAILED,
		                    _("cannot create an XML parser"));
		return NULL;
	}
	ctxt->_private = &guard;
	ctxt->sax->internalSubset = xml_guard_internal_subset;
	ctxt->sax->startElementNs = xml_guard_start_element;
	ctxt->sax->serror = xml_guard_error;
	ctxt->sax->error = xml_guard_silent;
	ctxt->sax->warning = xml_guard_silent;
	ctxt->sax->fatalError = xml_guard_silent;
	doc = xmlCtxtReadMemory(ctxt, body, (int)len, NULL, NULL, options);
	if (guard.doctype) {
		g_set_error(error, SR_ERROR, SR_ERROR_PARSE,
		            _("a %s with a DOCTYPE is not accepted"), what);
	} else if (guard.too_deep) {
		g_set_error(error, SR_ERROR, SR_ERROR_PARSE,
		            _("the %s is nested deeper than %d elements"), what, XML_MAX_DEPTH);
	} else if (doc == NULL || !ctxt->wellFormed || xmlDocGetRootElement(doc) == NULL) {
		if (guard.message != NULL)
			g_set_error(error, SR_ERROR, SR_ERROR_PARSE,
			            _("not well-formed XML, not a %s: %s (line %d)"), what,
			            guard.message, guard.line);
		else
			g_set_error(error, SR_ERROR, SR_ERROR_PARSE,
			            _("not well-formed XML, not a %s"), what);
	}
	g_free(guard.message);
	ctxt->_private = NULL;
	if (guard.doctype || guard.too_deep || doc == NULL || !ctxt->wellFormed ||
	    xmlDocGetRootElement(doc) == NULL)
		return NULL;
	return g_steal_pointer(&doc);
}

static gboolean
is_cap_ns(const xmlNs *ns)
{
	const char *href = NULL;
	if (ns == NULL || ns->href == NULL)
		return FALSE;
	href = (const char *)ns->href;
	return strcmp(href, CAP_NS_12) == 0 || strcmp(href, CAP_NS_11) == 0 ||
	       (g_str_has_prefix(href, CAP_NS_12_PROFILE) &&
	        href[strlen(CAP_NS_12_PROFILE)] != '\0');
}

static gboolean
is_atom_ns(const xmlNs *ns)
{
	return ns != NULL && ns->href != NULL && strcmp((const char *)ns->href, ATOM_NS) == 0;
}

static gboolean
is_named(const xmlNode *node, const char *name)
{
	return node->type == XML_ELEMENT_NODE && node->name != NULL &&
	       strcmp((const char *)node->name, name) == 0;
}

/* a CAP element: in a CAP namespace, or in none (a document that forgot to qualify children) */
static gboolean
is_cap(const xmlNode *node, const char *name)
{
	return is_named(node, name) && (node->ns == NULL || is_cap_ns(node->ns));
}

static gboolean
is_atom(const xmlNode *node, const char *name)
{
	return is_named(node, name) && is_atom_ns(node->ns);
}

static gboolean
is_rss(const xmlNode *node, const char *name)
{
	return is_named(node, name) && node->ns == NULL;
}

/* the text of @node with white space around it stripped; NULL when there is none */
static char *
node_text(const xmlNode *node)
{
	xmlChar *content = NULL;
	char *text = NULL;

	if (node == NULL)
		return NULL;
	content = xmlNodeGetContent(node);
	if (content == NULL)
		return NULL;
	text = g_strstrip(g_strdup((const char *)content));
	xmlFree(content);
	if (text[0] == '\0') {
		g_free(text);
		return NULL;
	}
	return text;
}

static char *
node_attr(const xmlNode *node, const char *name)
{
	xmlChar *value = xmlGetNoNsProp(node, (const xmlChar *)name);
	char *text = NULL;

	if (value == NULL)
		return NULL;
	text = g_strstrip(g_strdup((const char *)value));
	xmlFree(value);
	if (text[0] == '\0') {
		g_free(text);
		return NULL;
	}
	return text;
}

static const xmlNode *
cap_child(const xmlNode *parent, const char *name)
{
	for (const xmlNode *child = parent->children; child != NULL; child = child->next) {
		if (is_cap(child, name))
			return child;
	}
	return NULL;
}

static char *
cap_child_text(const xmlNode *parent, const char *name)
{
	return node_text(cap_child(parent, name));
}

/* valueName/value pairs: CAP documents put them in the CAP namespace, MeteoAlarm's Atom in the
 * Atom one, so any namespace does */
static char *
any_child_text(const xmlNode *parent, const char *name)
{
	for (const xmlNode *child = parent->children; child != NULL; child = child->next) {
		if (is_named(child, name))
			return node_text(child);
	}
	return NULL;
}

/* enumerations */

typedef struct {
	const char *name;
	int value;
} SrCapName;

static gboolean
lookup_name(const SrCapName *names, gsize n_names, const char *value, int *out)
{
	if (value == NULL)
		return FALSE;
	for (gsize i = 0; i < n_names; i++) {
		if (g_ascii_strcasecmp(names[i].name, value) == 0) {
			*out = names[i].value;
			return TRUE;
		}
	}
	return FALSE;
}

gboolean
sr_cap_severity(const char *value, SrSeverity *out)
{
	static const SrCapName names[] = {
	    {"Extreme", SR_SEVERITY_EXTREME},   {"Severe", SR_SEVERITY_SEVERE},
	    {"Moderate", SR_SEVERITY_MODERATE}, {"Minor", SR_SEVERITY_MINOR},
	    {"Unknown", SR_SEVERITY_UNKNOWN},
	};
	int found = 0;
	g_return_val_if_fail(out != NULL, FALSE);
	if (!lookup_name(names, G_N_ELEMENTS(names), value, &found))
		return FALSE;
	*out = (SrSeverity)found;
	return TRUE;
}

gboolean
sr_cap_urgency(const char *value, SrUrgency *out)
{
	static const SrCapName names[] = {
	    {"Immediate", SR_URGENCY_IMMEDIATE}, {"Expected", SR_URGENCY_EXPECTED},
	    {"Future", SR_URGENCY_FUTURE},       {"Past", SR_URGENCY_PAST},
	    {"Unknown", SR_URGENCY_UNKNOWN},
	};
	int found = 0;
	g_return_val_if_fail(out != NULL, FALSE);
	if (!lookup_name(names, G_N_ELEMENTS(names), value, &found))
		return FALSE;
	*out = (SrUrgency)found;
	return TRUE;
}

gboolean
sr_cap_certainty(const char *value, SrCertainty *out)
{
	/* "Very Likely" is CAP 1.0's, deprecated since 1.1 in favour of Likely */
	static const SrCapName names[] = {
	    {"Observed", SR_CERTAINTY_OBSERVED},  {"Likely", SR_CERTAINTY_LIKELY},
	    {"Very Likely", SR_CERTAINTY_LIKELY}, {"Possible", SR_CERTAINTY_POSSIBLE},
	    {"Unlikely", SR_CERTAINTY_UNLIKELY},  {"Unknown", SR_CERTAINTY_UNKNOWN},
	};
	int found = 0;
	g_return_val_if_fail(out != NULL, FALSE);
	if (!lookup_name(names, G_N_ELEMENTS(names), value, &found))
		return FALSE;
	*out = (SrCertainty)found;
	return TRUE;
}

gboolean
sr_cap_status(const char *value, SrStatus *out)
{
	/* System supports the alerting network itself and Draft is not issued: neither is an
	 * alert a person should act on */
	static const SrCapName names[] = {
	    {"Actual", SR_STATUS_ACTUAL}, {"Exercise", SR_STATUS_EXERCISE},
	    {"Test", SR_STATUS_TEST},     {"System", SR_STATUS_TEST},
	    {"Draft", SR_STATUS_TEST},
	};
	int found = 0;
	g_return_val_if_fail(out != NULL, FALSE);
	if (!lookup_name(names, G_N_ELEMENTS(names), value, &found))
		return FALSE;
	*out = (SrStatus)found;
	return TRUE;
}

/* kinds */

typedef struct {
	const char *keyword; /* lower case */
	SrKind kind;
	/* English words match at the start of a word ("ice" is not in "police"); German ones
	 * anywhere, since German glues them into compounds ("Starkregen", "Waldbrandgefahr") */
	gboolean anywhere;
} SrCapKeyword;

/* first match wins: the specific hazards before the weather that may come with them
 * ("Sturmflut" is a flood, not a storm; a tsunami warning may name the earthquake) */
static const SrCapKeyword kind_keywords[] = {
    {"tsunami", SR_KIND_TSUNAMI, TRUE},
    {"earthquake", SR_KIND_EARTHQUAKE, FALSE},
    {"erdbeben", SR_KIND_EARTHQUAKE, TRUE},
    /* a dedicated kind exists for these, and with it the notification they deserve */
    {"air raid", SR_KIND_AIR_RAID, FALSE},
    {"luftangriff", SR_KIND_AIR_RAID, TRUE},
    {"luftalarm", SR_KIND_AIR_RAID, TRUE},
    {"missile", SR_KIND_MISSILE, FALSE},
    {"radiolog", SR_KIND_NUCLEAR, FALSE},
    {"radioactiv", SR_KIND_NUCLEAR, FALSE},
    {"nuclear", SR_KIND_NUCLEAR, FALSE},
    {"radioaktiv", SR_KIND_NUCLEAR, TRUE},
    {"nuklear", SR_KIND_NUCLEAR, TRUE},
    {"kernkraft", SR_KIND_NUCLEAR, TRUE},
    {"chemical", SR_KIND_HAZMAT, FALSE},
    {"hazardous material", SR_KIND_HAZMAT, FALSE},
    {"hazmat", SR_KIND_HAZMAT, FALSE},
    {"gefahrstoff", SR_KIND_HAZMAT, TRUE},
    {"chemie", SR_KIND_HAZMAT, TRUE},
    {"storm surge", SR_KIND_FLOOD, FALSE},
    {"flood", SR_KIND_FLOOD, FALSE},
    {"sturmflut", SR_KIND_FLOOD, TRUE},
    {"hochwasser", SR_KIND_FLOOD, TRUE},
    {"überschwemmung", SR_KIND_FLOOD, TRUE},
    {"wildfire", SR_KIND_FIRE, FALSE},
    {"bushfire", SR_KIND_FIRE, FALSE},
    {"fire", SR_KIND_FIRE, FALSE},
    {"waldbrand", SR_KIND_FIRE, TRUE},
    {"brand", SR_KIND_FIRE, TRUE},
    {"avalanche", SR_KIND_WEATHER, FALSE},
    {"lawine", SR_KIND_WEATHER, TRUE},
    {"thunderstorm", SR_KIND_WEATHER, FALSE},
    {"storm", SR_KIND_WEATHER, FALSE},
    {"tornado", SR_KIND_WEATHER, FALSE},
    {"hurricane", SR_KIND_WEATHER, FALSE},
    {"typhoon", SR_KIND_WEATHER, FALSE},
    {"cyclone", SR_KIND_WEATHER, FALSE},
    {"blizzard", SR_KIND_WEATHER, FALSE},
    {"wind", SR_KIND_WEATHER, FALSE},
    {"gale", SR_KIND_WEATHER, FALSE},
    {"snow", SR_KIND_WEATHER, FALSE},
    {"ice", SR_KIND_WEATHER, FALSE},
    {"icing", SR_KIND_WEATHER, FALSE},
    {"frost", SR_KIND_WEATHER, FALSE},
    {"freez", SR_KIND_WEATHER, FALSE},
    {"cold", SR_KIND_WEATHER, FALSE},
    {"heat", SR_KIND_WEATHER, FALSE},
    {"rain", SR_KIND_WEATHER, FALSE},
    {"hail", SR_KIND_WEATHER, FALSE},
    {"fog", SR_KIND_WEATHER, FALSE},
    {"dust", SR_KIND_WEATHER, FALSE},
    {"weather", SR_KIND_WEATHER, FALSE},
    {"wetter", SR_KIND_WEATHER, TRUE},
    {"gewitter", SR_KIND_WEATHER, TRUE},
    {"sturm", SR_KIND_WEATHER, TRUE},
    {"orkan", SR_KIND_WEATHER, TRUE},
    {"böen", SR_KIND_WEATHER, TRUE},
    {"schnee", SR_KIND_WEATHER, TRUE},
    {"glätte", SR_KIND_WEATHER, TRUE},
    {"glatteis", SR_KIND_WEATHER, TRUE},
    {"frost", SR_KIND_WEATHER, TRUE},
    {"hitze", SR_KIND_WEATHER, TRUE},
    {"kälte", SR_KIND_WEATHER, TRUE},
    {"regen", SR_KIND_WEATHER, TRUE},
    {"hagel", SR_KIND_WEATHER, TRUE},
    {"nebel", SR_KIND_WEATHER, TRUE},
    {"health", SR_KIND_HEALTH, FALSE},
    {"pandemic", SR_KIND_HEALTH, FALSE},
    {"epidemic", SR_KIND_HEALTH, FALSE},
    {"gesundheit", SR_KIND_HEALTH, TRUE},
    {"pandemie", SR_KIND_HEALTH, TRUE},
    {"epidemie", SR_KIND_HEALTH, TRUE},
};

static gboolean
kind_from_name(const char *event_name, SrKind *out)
{
	g_autofree char *valid = NULL;
	g_autofree char *lower = NULL;

	if (event_name == NULL || event_name[0] == '\0')
		return FALSE;
	valid = g_utf8_make_valid(event_name, -1);
	lower = g_utf8_strdown(valid, -1);
	for (guint i = 0; i < G_N_ELEMENTS(kind_keywords); i++) {
		const SrCapKeyword *keyword = &kind_keywords[i];
		for (const char *hit = strstr(lower, keyword->keyword); hit != NULL;
		     hit = strstr(hit + 1, keyword->keyword)) {
			if (keyword->anywhere || hit == lower || !g_ascii_isalpha(hit[-1])) {
				*out = keyword->kind;
				return TRUE;
			}
		}
	}
	return FALSE;
}

static gboolean
kind_from_category(const char *category, SrKind *out)
{
	static const SrCapName names[] = {
	    {"Met", SR_KIND_WEATHER},    {"Geo", SR_KIND_OTHER},    {"Fire", SR_KIND_FIRE},
	    {"Health", SR_KIND_HEALTH},  {"CBRNE", SR_KIND_HAZMAT}, {"Safety", SR_KIND_CIVIL},
	    {"Security", SR_KIND_CIVIL}, {"Rescue", SR_KIND_CIVIL}, {"Transport", SR_KIND_CIVIL},
	    {"Infra", SR_KIND_CIVIL},    {"Env", SR_KIND_CIVIL},    {"Other", SR_KIND_OTHER},
	};
	int found = 0;
	if (!lookup_name(names, G_N_ELEMENTS(names), category, &found))
		return FALSE;
	*out = (SrKind)found;
	return TRUE;
}

SrKind
sr_cap_kind(GPtrArray *categories, const char *event_name)
{
	SrKind kind = SR_KIND_OTHER;

	if (kind_from_name(event_name, &kind))
		return kind;
	for (guint i = 0; categories != NULL && i < categories->len; i++) {
		if (kind_from_category(g_ptr_array_index(categories, i), &kind))
			return kind;
	}
	return SR_KIND_OTHER;
}

/* times */

/* @n ASCII digits at *@p as a number, advancing *@p */
static gboolean
read_digits(const char **p, guint n, gint *out)
{
	gint value = 0;
	for (guint i = 0; i < n; i++) {
		if (!g_ascii_isdigit((*p)[i]))
			return FALSE;
		value = value * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*out = value;
	return TRUE;
}

static gint64
utc_seconds(gint year, gint month, gint day, gint hour, gint minute, gint second,
            gint offset_seconds, gboolean *ok)
{
	gint64 local = 0;

	*ok = FALSE;
	/* 0 is "unknown" in the model and nothing before it is an alert's time; a leap second
	 * is the last second of its minute */
	if (year < 1970 || !sr_time_from_civil(year, month, day, hour, minute, second, &local) ||
	    local - offset_seconds <= 0)
		return 0;
	*ok = TRUE;
	return local - offset_seconds;
}

/* "YYYY-MM-DDThh:mm[:ss[.fff]]" followed by a zone, or by nothing when @zoneless (then UTC) */
static gboolean
parse_iso_time(const char *value, gboolean zoneless, gint64 *out)
{
	const char *p = value;
	gint year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
	gint offset = 0;
	gboolean ok = FALSE;
	gint64 t = 0;

	if (value == NULL)
		return FALSE;
	while (g_ascii_isspace(*p))
		p++;
	if (!read_digits(&p, 4, &year) || *p++ != '-' || !read_digits(&p, 2, &month) ||
	    *p++ != '-' || !read_digits(&p, 2, &day))
		return FALSE;
	if (*p != 'T' && *p != 't' && *p != ' ')
		return FALSE;
	p++;
	if (!read_digits(&p, 2, &hour) || *p++ != ':' || !read_digits(&p, 2, &minute))
		return FALSE;
	/* seconds are required by CAP but left out by some feeds */
	if (*p == ':') {
		p++;
		if (!read_digits(&p, 2, &second))
			return FALSE;
		/* fractions: not CAP, but sent (MeteoAlarm); a second is precise enough */
		if (*p == '.' || *p == ',') {
			p++;
			if (!g_ascii_isdigit(*p))
				return FALSE;
			while (g_ascii_isdigit(*p))
				p++;
		}
	}
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		gint sign = *p == '-' ? -1 : 1;
		gint hours = 0, minutes = 0;
		p++;
		if (!read_digits(&p, 2, &hours))
			return FALSE;
		if (*p == ':')
			p++;
		if (g_ascii_isdigit(*p) && !read_digits(&p, 2, &minutes))
			return FALSE;
		if (hours > 23 || minutes > 59)
			return FALSE;
		offset = sign * (hours * 3600 + minutes * 60);
	} else if (!zoneless) {
		/* a wall-clock time of an unknown zone is no instant at all */
		return FALSE;
	}
	while (g_ascii_isspace(*p))
		p++;
	if (*p != '\0')
		return FALSE;
	t = utc_seconds(year, month, day, hour, minute, second, offset, &ok);
	if (!ok)
		return FALSE;
	*out = t;
	return TRUE;
}

gboolean
sr_cap_parse_time(const char *value, gint64 *out)
{
	g_return_val_if_fail(out != NULL, FALSE);
	return parse_iso_time(value, FALSE, out);
}

/* RFC 822 (RSS pubDate, and some feeds' cap: fields): "[Fri, ]04 Feb 2011 20:32:08 GMT" */
static gboolean
parse_rfc822_time(const char *value, gint64 *out)
{
	static const char *const months[] = {"jan", "feb", "mar", "apr", "may", "jun",
	                                     "jul", "aug", "sep", "oct", "nov", "dec"};
	static const SrCapName zones[] = {
	    {"GMT", 0},         {"UT", 0},          {"UTC", 0},         {"Z", 0},
	    {"EST", -5 * 3600}, {"EDT", -4 * 3600}, {"CST", -6 * 3600}, {"CDT", -5 * 3600},
	    {"MST", -7 * 3600}, {"MDT", -6 * 3600}, {"PST", -8 * 3600}, {"PDT", -7 * 3600},
	};
	g_auto(GStrv) tokens = NULL;
	g_autoptr(GPtrArray) parts = g_ptr_array_new();
	const char *p = NULL;
	gint day = 0, month = 0, year = 0, hour = 0, minute = 0, second = 0, offset = 0;
	gboolean ok = FALSE;
	gint64 t = 0;

	if (value == NULL || strlen(value) > 64)
		return FALSE;
	/* the day name is optional, and its comma may have no space after it */
	p = strchr(value, ',');
	tokens = g_strsplit_set(p != NULL ? p + 1 : value, " \t\r\n", -1);
	for (guint i = 0; tokens[i] != NULL; i++) {
		if (tokens[i][0] != '\0')
			g_ptr_array_add(parts, tokens[i]);
	}
	if (parts->len != 5)
		return FALSE;
	p = g_ptr_array_index(parts, 0);
	if (strlen(p) < 1 || strlen(p) > 2 || !read_digits(&p, (guint)strlen(p), &day))
		return FALSE;
	p = g_ptr_array_index(parts, 1);
	for (guint i = 0; i < G_N_ELEMENTS(months); i++) {
		if (strlen(p) >= 3 && g_ascii_strncasecmp(p, months[i], 3) == 0)
			month = (gint)i + 1;
	}
	if (month == 0)
		return FALSE;
	p = g_ptr_array_index(parts, 2);
	if (strlen(p) == 4) {
		if (!read_digits(&p, 4, &year))
			return FALSE;
	} else if (strlen(p) == 2) {
		if (!read_digits(&p, 2, &year))
			return FALSE;
		year += year < 50 ? 2000 : 1900;
	} else {
		return FALSE;
	}
	p = g_ptr_array_index(parts, 3);
	if (!read_digits(&p, 2, &hour) || *p++ != ':' || !read_digits(&p, 2, &minute))
		return FALSE;
	if (*p == ':') {
		p++;
		if (!read_digits(&p, 2, &second))
			return FALSE;
	}
	if (*p != '\0')
		return FALSE;
	p = g_ptr_array_index(parts, 4);
	if (*p == '+' || *p == '-') {
		gint sign = *p == '-' ? -1 : 1;
		gint hours = 0, minutes = 0;
		p++;
		if (!read_digits(&p, 2, &hours))
			return FALSE;
		if (*p == ':')
			p++;
		if (!read_digits(&p, 2, &minutes) || *p != '\0' || hours > 23 || minutes > 59)
			return FALSE;
		offset = sign * (hours * 3600 + minutes * 60);
	} else if (!lookup_name(zones, G_N_ELEMENTS(zones), p, &offset)) {
		return FALSE;
	}
	t = utc_seconds(year, month, day, hour, minute, second, offset, &ok);
	if (!ok)
		return FALSE;
	*out = t;
	return TRUE;
}

/* an index feed's date, ISO or RFC 822 */
static gboolean
parse_feed_time(const char *value, gint64 *out)
{
	return sr_cap_parse_time(value, out) || parse_rfc822_time(value, out);
}

/* geometry */

static gboolean
is_coordinate_separator(char c)
{
	return g_ascii_isspace(c) || c == ',' || c == '(' || c == ')';
}

/* the numbers of a polygon or circle, whatever separates them (commas, white space, GDACS's
 * parentheses); NULL when something else is in there */
static GArray *
parse_numbers(const char *text)
{
	g_autoptr(GArray) numbers = g_array_new(FALSE, FALSE, sizeof(double));
	const char *p = text;

	while (*p != '\0') {
		const char *start = NULL;
		char *end = NULL;
		double value = 0;
		while (*p != '\0' && is_coordinate_separator(*p))
			p++;
		if (*p == '\0')
			break;
		start = p;
		while (*p != '\0' && !is_coordinate_separator(*p)) {
			/* plain decimals only: strtod would also take "nan", "inf" and hex */
			if (!g_ascii_isdigit(*p) && *p != '.' && *p != '-' && *p != '+' &&
			    *p != 'e' && *p != 'E')
				return NULL;
			p++;
		}
		value = g_ascii_strtod(start, &end);
		if (end != p || !isfinite(value))
			return NULL;
		g_array_append_val(numbers, value);
	}
	return g_steal_pointer(&numbers);
}

/* to 1e-7 degrees (a centimetre): far finer than any area is drawn, and a value of so few
 * digits survives the event's JSON (cJSON prints 15) unchanged, so a stored alert reads back as
 * the same alert */
static double
round_coordinate(double value)
{
	return round(value * 1e7) / 1e7;
}

static gboolean
point_in_range(double lat, double lon)
{
	return fabs(lat) <= 90.0 && fabs(lon) <= 180.0;
}

/* a CAP polygon, "lat,lon lat,lon …"; FALSE (and nothing added) for an empty or broken one */
static gboolean
add_polygon(SrEvent *event, const char *text)
{
	g_autoptr(GArray) numbers = NULL;
	g_autoptr(GArray) points = NULL;
	const SrPoint *distinct[2] = {NULL, NULL};
	guint n_distinct = 0;

	if (text == NULL)
		return FALSE;
	numbers = parse_numbers(text);
	if (numbers == NULL || numbers->len % 2 != 0) {
		g_autofree char *shown = sr_source_excerpt(text);
		g_debug("polygon dropped, not pairs of numbers: '%s'", shown);
		return FALSE;
	}
	points = g_array_sized_new(FALSE, FALSE, sizeof(SrPoint), numbers->len / 2);
	for (guint i = 0; i + 1 < numbers->len; i += 2) {
		SrPoint point = {round_coordinate(g_array_index(numbers, double, i)),
		                 round_coordinate(g_array_index(numbers, double, i + 1))};
		/* a point off the globe is junk; the rest of the ring may still be good */
		if (point_in_range(point.lat, point.lon))
			g_array_append_val(points, point);
	}
	/* a ring needs three distinct corners: fewer is a point or a line, which covers nothing */
	for (guint i = 0; i < points->len && n_distinct < 3; i++) {
		const SrPoint *point = &g_array_index(points, SrPoint, i);
		gboolean seen = FALSE;
		for (guint j = 0; j < n_distinct; j++) {
			if (distinct[j]->lat == point->lat && distinct[j]->lon == point->lon)
				seen = TRUE;
		}
		if (seen)
			continue;
		if (n_distinct < 2)
			distinct[n_distinct] = point;
		n_distinct++;
	}
	if (n_distinct < 3) {
		if (points->len > 0) {
			g_autofree char *shown = sr_source_excerpt(text);
			g_debug("polygon dropped, fewer than 3 corners: '%s'", shown);
		}
		return FALSE;
	}
	return sr_event_add_polygon(event, (const SrPoint *)(gconstpointer)points->data,
	                            points->len);
}

/* a CAP circle, "lat,lon radius" with the radius in km */
static gboolean
add_circle(SrEvent *event, const char *text)
{
	g_autoptr(GArray) numbers = NULL;
	double lat = 0, lon = 0, radius = 0;

	if (text == NULL)
		return FALSE;
	numbers = parse_numbers(text);
	if (numbers == NULL || numbers->len != 3) {
		g_autofree char *shown = sr_source_excerpt(text);
		g_debug("circle dropped, not 'lat,lon radius': '%s'", shown);
		return FALSE;
	}
	lat = round_coordinate(g_array_index(numbers, double, 0));
	lon = round_coordinate(g_array_index(numbers, double, 1));
	/* to a millimetre */
	radius = round(g_array_index(numbers, double, 2) * 1e6) / 1e6;
	/* half the circumference of the Earth reaches everywhere */
	if (!point_in_range(lat, lon) || radius < 0 || radius > 20100) {
		g_autofree char *shown = sr_source_excerpt(text);
		g_debug("circle dropped, out of range: '%s'", shown);
		return FALSE;
	}
	sr_event_add_circle(event, lat, lon, radius);
	return TRUE;
}

static void
add_geocode(SrEvent *event, const xmlNode *node)
{
	g_autofree char *name = any_child_text(node, "valueName");
	g_autofree char *value = any_child_text(node, "value");
	if (name != NULL && value != NULL)
		sr_event_add_geocode(event, name, value);
}

/* an <area>, or the cap: summary of an index entry: polygons, circles, geocodes */
static void
add_area_shapes(SrEvent *event, const xmlNode *area)
{
	for (const xmlNode *child = area->children; child != NULL; child = child->next) {
		if (is_cap(child, "polygon")) {
			g_autofree char *text = node_text(child);
			add_polygon(event, text);
		} else if (is_cap(child, "circle")) {
			g_autofree char *text = node_text(child);
			add_circle(event, text);
		} else if (is_cap(child, "geocode")) {
			add_geocode(event, child);
		}
	}
}

/* languages */

/* "de_DE.UTF-8@euro" or "de-de" as "de-de": lower case, hyphens, no codeset or modifier */
static char *
language_normalize(const char *tag)
{
	GString *str = g_string_new(NULL);
	for (const char *p = tag; *p != '\0' && *p != '.' && *p != '@'; p++)
		g_string_append_c(str, *p == '_' ? '-' : g_ascii_tolower(*p));
	return g_string_free(str, FALSE);
}

static gboolean
language_primary_equal(const char *a, const char *b)
{
	gsize la = strcspn(a, "-");
	gsize lb = strcspn(b, "-");
	return la > 0 && la == lb && strncmp(a, b, la) == 0;
}

GPtrArray *
sr_cap_wanted_languages(const SrParseContext *ctx, const char *fallback)
{
	GPtrArray *wanted = g_ptr_array_new_with_free_func(g_free);

	if (ctx != NULL && ctx->language != NULL && ctx->language[0] != '\0') {
		g_ptr_array_add(wanted, language_normalize(ctx->language));
	} else {
		/* LANGUAGE, LC_ALL, LC_MESSAGES, LANG, as gettext reads them */
		const char *const *names = g_get_language_names();
		for (guint i = 0; names[i] != NULL; i++) {
			if (g_ascii_strncasecmp(names[i], "C", 1) == 0 &&
			    (names[i][1] == '\0' || names[i][1] == '.'))
				continue;
			if (g_ascii_strcasecmp(names[i], "POSIX") == 0)
				continue;
			g_ptr_array_add(wanted, language_normalize(names[i]));
		}
	}
	g_ptr_array_add(wanted, language_normalize(fallback));
	return wanted;
}

/* an <info>'s language; CAP's default is en-US */
static char *
info_language(const xmlNode *info)
{
	char *language = cap_child_text(info, "language");
	return language != NULL ? language : g_strdup("en-US");
}

/* the info block in the best language: a full tag match, else the primary subtag, for each
 * wanted language in turn; else the first */
static const xmlNode *
choose_info(GPtrArray *infos, const SrParseContext *ctx)
{
	g_autoptr(GPtrArray) wanted = NULL;
	g_autoptr(GPtrArray) languages = NULL;

	if (infos->len == 0)
		return NULL;
	wanted = sr_cap_wanted_languages(ctx, "en");
	languages = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; i < infos->len; i++) {
		g_autofree char *language = info_language(g_ptr_array_index(infos, i));
		g_ptr_array_add(languages, language_normalize(language));
	}
	for (guint w = 0; w < wanted->len; w++) {
		const char *want = g_ptr_array_index(wanted, w);
		for (guint i = 0; i < infos->len; i++) {
			if (strcmp(g_ptr_array_index(languages, i), want) == 0)
				return g_ptr_array_index(infos, i);
		}
		for (guint i = 0; i < infos->len; i++) {
			if (language_primary_equal(g_ptr_array_index(languages, i), want))
				return g_ptr_array_index(infos, i);
		}
	}
	return g_ptr_array_index(infos, 0);
}

/* references */

typedef struct {
	char *id; /* the event id: "<source>:<identifier>" */
	gint64 sent;
	guint order;
} SrCapReference;

static void
sr_cap_reference_free(SrCapReference *reference)
{
	g_free(reference->id);
	g_free(reference);
}

static gint
reference_compare(gconstpointer a, gconstpointer b)
{
	const SrCapReference *ra = *(const SrCapReference *const *)a;
	const SrCapReference *rb = *(const SrCapReference *const *)b;
	if (ra->sent != rb->sent)
		return ra->sent < rb->sent ? -1 : 1;
	/* g_ptr_array_sort is not stable */
	return ra->order < rb->order ? -1 : ra->order > rb->order ? 1 : 0;
}

/* "sender,identifier,sent" triplets separated by white space; a triplet wrapped across lines
 * (Google's own example does it) comes in fragments, which are joined at a comma */
GPtrArray *
sr_cap_read_references(const char *text, const char *identifier, const char *source_name)
{
	GPtrArray *result = g_ptr_array_new_with_free_func(g_free);
	g_auto(GStrv) tokens = NULL;
	g_autoptr(GPtrArray) triplets = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) references =
	    g_ptr_array_new_with_free_func((GDestroyNotify)sr_cap_reference_free);
	g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
	g_autoptr(GPtrArray) unique = g_ptr_array_new();
	GString *current = NULL;

	if (text == NULL)
		return result;
	tokens = g_strsplit_set(text, " \t\r\n", -1);
	for (guint i = 0; tokens[i] != NULL; i++) {
		const char *token = tokens[i];
		if (token[0] == '\0')
			continue;
		if (current != NULL && (current->str[current->len - 1] == ',' || token[0] == ',')) {
			g_string_append(current, token);
			continue;
		}
		if (current != NULL)
			g_ptr_array_add(triplets, g_string_free(current, FALSE));
		current = g_string_new(token);
	}
	if (current != NULL)
		g_ptr_array_add(triplets, g_string_free(current, FALSE));

	if (triplets->len > CAP_MAX_TRIPLETS) {
		g_autofree char *count = g_strdup_printf("%u", triplets->len);
		sr_source_log_once(G_LOG_DOMAIN, "references", count,
		                   "are too many: only the first %d are read", CAP_MAX_TRIPLETS);
		g_ptr_array_set_size(triplets, CAP_MAX_TRIPLETS);
	}
	for (guint i = 0; i < triplets->len; i++) {
		const char *triplet = g_ptr_array_index(triplets, i);
		g_auto(GStrv) parts = g_strsplit(triplet, ",", -1);
		SrCapReference *reference = NULL;
		gint64 sent = 0;
		if (g_strv_length(parts) != 3 || parts[0][0] == '\0' || parts[1][0] == '\0' ||
		    parts[2][0] == '\0') {
			sr_source_log_once(G_LOG_DOMAIN, "reference", triplet,
			                   "is not sender,identifier,sent: ignored");
			continue;
		}
		/* a message cannot update itself; its own id would make the event its own
		 * predecessor */
		if (identifier != NULL && strcmp(parts[1], identifier) == 0)
			continue;
		/* an unreadable time sorts first: oldest is the safe guess for an older message */
		if (!sr_cap_parse_time(parts[2], &sent))
			sent = 0;
		reference = g_new0(SrCapReference, 1);
		{
			g_autofree char *valid = g_utf8_make_valid(parts[1], -1);
			reference->id = g_strdup_printf("%s:%s", source_name, valid);
		}
		reference->sent = sent;
		reference->order = i;
		g_ptr_array_add(references, reference);
	}
	g_ptr_array_sort(references, reference_compare);
	for (guint i = 0; i < references->len; i++) {
		SrCapReference *reference = g_ptr_array_index(references, i);
		if (g_hash_table_add(seen, reference->id))
			g_ptr_array_add(unique, reference->id);
	}
	/* the newest matter most: what they update is still going on */
	for (guint i = unique->len > CAP_MAX_REFERENCES ? unique->len - CAP_MAX_REFERENCES : 0;
	     i < unique->len; i++)
		g_ptr_array_add(result, g_strdup(g_ptr_array_index(unique, i)));
	return result;
}

static void
add_references(SrCapMessage *message, const char *text, const char *source_name)
{
	g_autoptr(GPtrArray) ids = sr_cap_read_references(text, message->identifier, source_name);
	for (guint i = 0; i < ids->len; i++)
		g_ptr_array_add(message->references, g_strdup(g_ptr_array_index(ids, i)));
}

/* messages */

void
sr_cap_message_free(SrCapMessage *message)
{
	if (message == NULL)
		return;
	g_free(message->identifier);
	g_free(message->sender);
	g_free(message->msg_type);
	g_clear_pointer(&message->references, g_ptr_array_unref);
	g_clear_pointer(&message->event, sr_event_unref);
	g_clear_pointer(&message->languages, g_ptr_array_unref);
	g_free(message);
}

/* an optional time of an <info>: 0 when absent or unreadable (which is logged) */
static gint64
info_time(const xmlNode *info, const char *name)
{
	g_autofree char *text = cap_child_text(info, name);
	gint64 t = 0;
	if (text == NULL)
		return 0;
	if (!sr_cap_parse_time(text, &t)) {
		sr_source_log_once(G_LOG_DOMAIN, name, text, "is not a CAP dateTime: ignored");
		return 0;
	}
	return t;
}

/* a reference without a scheme ("a.xml", "../b.xml", "/c.xml"), not "//host" (which could
 * lead anywhere) and not empty */
static gboolean
is_relative_reference(const char *url)
{
	if (url == NULL || url[0] == '\0' || g_uri_peek_scheme(url) != NULL ||
	    g_str_has_prefix(url, "//"))
		return FALSE;
	for (const char *p = url; *p != '\0'; p++) {
		if (g_ascii_iscntrl(*p) || *p == ' ' || *p == '\\')
			return FALSE;
	}
	return TRUE;
}

static gboolean
is_http_url(const char *url)
{
	g_autoptr(GUri) uri = NULL;
	const char *scheme = NULL;
	const char *host = NULL;

	if (url == NULL)
		return FALSE;
	uri = g_uri_parse(url, G_URI_FLAGS_NONE, NULL);
	if (uri == NULL)
		return FALSE;
	scheme = g_uri_get_scheme(uri);
	host = g_uri_get_host(uri);
	return scheme != NULL && host != NULL && host[0] != '\0' &&
	       (g_ascii_strcasecmp(scheme, "https") == 0 ||
	        g_ascii_strcasecmp(scheme, "http") == 0);
}

/* the kind of the message: the chosen info's event name, else another info's (an English
 * name has keywords that a Hebrew one has not), else the chosen info's categories */
static SrKind
message_kind(GPtrArray *infos, const xmlNode *chosen)
{
	g_autoptr(GPtrArray) categories = g_ptr_array_new_with_free_func(g_free);
	g_autofree char *name = cap_child_text(chosen, "event");
	SrKind kind = SR_KIND_OTHER;

	if (kind_from_name(name, &kind))
		return kind;
	for (guint i = 0; i < MIN(infos->len, CAP_MAX_KIND_INFOS); i++) {
		const xmlNode *info = g_ptr_array_index(infos, i);
		g_autofree char *other = NULL;
		if (info == chosen)
			continue;
		other = cap_child_text(info, "event");
		if (kind_from_name(other, &kind))
			return kind;
	}
	for (const xmlNode *child = chosen->children; child != NULL; child = child->next) {
		if (is_cap(child, "category")) {
			char *category = node_text(child);
			if (category == NULL)
				continue;
			if (!kind_from_category(category, &kind))
				sr_source_log_once(G_LOG_DOMAIN, "category", category,
				                   "is not a CAP category");
			g_ptr_array_add(categories, category);
		}
	}
	return sr_cap_kind(categories, NULL);
}

static gboolean
info_has_all_clear(const xmlNode *info)
{
	for (const xmlNode *child = info->children; child != NULL; child = child->next) {
		if (is_cap(child, "responseType")) {
			g_autofree char *text = node_text(child);
			if (text != NULL && g_ascii_strcasecmp(text, "AllClear") == 0)
				return TRUE;
		}
	}
	return FALSE;
}

/* the MeteoAlarm profile's awareness level 1 (green) means "no warning": such messages are
 * published for completeness, and an update to green ends the warning it updates */
static gboolean
info_is_green(const xmlNode *info)
{
	for (const xmlNode *child = info->children; child != NULL; child = child->next) {
		g_autofree char *name = NULL;
		g_autofree char *value = NULL;
		if (!is_cap(child, "parameter"))
			continue;
		name = cap_child_text(child, "valueName");
		if (name == NULL || g_ascii_strcasecmp(g_strstrip(name), "awareness_level") != 0)
			continue;
		value = cap_child_text(child, "value");
		if (value != NULL &&
		    (g_str_has_prefix(g_strstrip(value), "1;") || g_strcmp0(value, "1") == 0))
			return TRUE;
	}
	return FALSE;
}

/* the enumerations of an <info>: a value CAP does not define is unknown, and logged once */
static void
info_enumerations(SrEvent *event, const xmlNode *info)
{
	g_autofree char *severity = cap_child_text(info, "severity");
	g_autofree char *urgency = cap_child_text(info, "urgency");
	g_autofree char *certainty = cap_child_text(info, "certainty");

	if (severity != NULL && !sr_cap_severity(severity, &event->severity))
		sr_source_log_once(G_LOG_DOMAIN, "severity", severity, "is not a CAP severity");
	if (urgency != NULL && !sr_cap_urgency(urgency, &event->urgency))
		sr_source_log_once(G_LOG_DOMAIN, "urgency", urgency, "is not a CAP urgency");
	if (certainty != NULL && !sr_cap_certainty(certainty, &event->certainty))
		sr_source_log_once(G_LOG_DOMAIN, "certainty", certainty, "is not a CAP certainty");
}

static void
info_fill(SrEvent *event, GPtrArray *infos, const xmlNode *info, gint64 sent)
{
	g_autoptr(GString) areas = g_string_new(NULL);
	g_autofree char *language = info_language(info);
	g_autofree char *headline = cap_child_text(info, "headline");
	g_autofree char *description = cap_child_text(info, "description");
	g_autofree char *instruction = cap_child_text(info, "instruction");
	g_autofree char *web = cap_child_text(info, "web");
	gint64 effective = info_time(info, "effective");
	gint64 onset = info_time(info, "onset");

	event->kind = message_kind(infos, info);
	info_enumerations(event, info);
	event->started_at = onset != 0 ? onset : effective != 0 ? effective : sent;
	event->expires_at = info_time(info, "expires");
	/* a headline is optional; the event name is what a person would be told instead */
	if (headline == NULL)
		headline = cap_child_text(info, "event");
	sr_event_set_text(&event->headline, headline);
	sr_event_set_text(&event->description, description);
	sr_event_set_text(&event->instruction, instruction);
	sr_event_set_text(&event->language, language);
	/* a link a person may open: http(s) only, never javascript: or file: */
	if (web != NULL && is_http_url(web))
		sr_event_set_text(&event->web, web);
	else if (web != NULL)
		sr_source_log_once(G_LOG_DOMAIN, "web", web, "is not an http(s) URL: ignored");

	for (const xmlNode *child = info->children; child != NULL; child = child->next) {
		g_autofree char *desc = NULL;
		if (!is_cap(child, "area"))
			continue;
		desc = cap_child_text(child, "areaDesc");
		if (desc != NULL) {
			if (areas->len > 0)
				g_string_append(areas, "; ");
			g_string_append(areas, desc);
		}
		add_area_shapes(event, child);
	}
	sr_event_set_text(&event->area.description, areas->str);
}

SrCapMessage *
sr_cap_parse(const char *body, gsize len, const SrParseContext *ctx, GError **error)
{
	static const char *const required[] = {"identifier", "sender", "sent", "status", "msgType"};
	static const char *const msg_types[] = {"Alert", "Update", "Cancel", "Ack", "Error"};
	g_autoptr(xmlDoc) doc = NULL;
	g_autoptr(SrCapMessage) message = NULL;
	g_autoptr(GPtrArray) infos = g_ptr_array_new();
	g_autoptr(GHashTable) languages_seen =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr(SrEvent) event = NULL;
	g_autofree char *status = NULL;
	g_autofree char *sent = NULL;
	g_autofree char *references = NULL;
	g_autofree char *event_id = NULL;
	const xmlNode *root = NULL;
	const xmlNode *chosen = NULL;
	SrStatus event_status = SR_STATUS_TEST;
	gboolean known_type = FALSE;

	g_return_val_if_fail(ctx != NULL && ctx->source_name != NULL, NULL);

	doc = xml_read(body, len, CAP_MAX_SIZE, _("CAP document"), error);
	if (doc == NULL)
		return NULL;
	root = xmlDocGetRootElement(doc);
	if (!is_named(root, "alert") || !is_cap_ns(root->ns)) {
		g_autofree char *name = sr_source_excerpt((const char *)root->name);
		g_set_error(error, SR_ERROR, SR_ERROR_PARSE,
		            root->ns != NULL
		                ? _("not a CAP 1.x document: the root element is <%s> in "
		                    "another namespace")
		                : _("not a CAP 1.x document: the root element is <%s> in "
		                    "no namespace"),
		            name);
		return NULL;
	}
	for (guint i = 0; i < G_N_ELEMENTS(required); i++) {
		g_autofree char *text = cap_child_text(root, required[i]);
		if (text == NULL) {
			g_set_error(error, SR_ERROR, SR_ERROR_PARSE,
			            _("not a valid CAP alert: <%s> is missing or empty"),
			            required[i]);
			return NULL;
		}
	}

	message = g_new0(SrCapMessage, 1);
	message->identifier = cap_child_text(root, "identifier");
	message->sender = cap_child_text(root, "sender");
	message->msg_type = cap_child_text(root, "msgType");
	message->references = g_ptr_array_new_with_free_func(g_free);
	message->languages = g_ptr_array_new_with_free_func(g_free);
	sent = cap_child_text(root, "sent");
	if (!sr_cap_parse_time(sent, &message->sent)) {
		g_autofree char *shown = sr_source_excerpt(sent);
		g_set_error(error, SR_ERROR, SR_ERROR_PARSE,
		            _("not a valid CAP alert: <sent> is not a date and time: '%s'"), shown);
		return NULL;
	}
	status = cap_child_text(root, "status");
	/* a status CAP does not define is nothing anyone declared real */
	if (!sr_cap_status(status, &event_status))
		sr_source_log_once(G_LOG_DOMAIN, "status", status,
		                   "is not a CAP status: taken as a test");
	for (guint i = 0; i < G_N_ELEMENTS(msg_types); i++) {
		if (g_ascii_strcasecmp(message->msg_type, msg_types[i]) == 0)
			known_type = TRUE;
	}
	if (!known_type)
		sr_source_log_once(G_LOG_DOMAIN, "msgType", message->msg_type,
		                   "is not a CAP message type: taken as an alert");
	references = cap_child_text(root, "references");
	add_references(message, references, ctx->source_name);

	for (const xmlNode *child = root->children; child != NULL; child = child->next) {
		g_autofree char *language = NULL;
		if (!is_cap(child, "info"))
			continue;
		g_ptr_array_add(infos, (gpointer)child);
		language = info_language(child);
		if (g_hash_table_add(languages_seen, g_ascii_strdown(language, -1)))
			g_ptr_array_add(message->languages, g_steal_pointer(&language));
	}

	/* acknowledgements and errors are about messages, not hazards */
	if (g_ascii_strcasecmp(message->msg_type, "Ack") == 0 ||
	    g_ascii_strcasecmp(message->msg_type, "Error") == 0)
		return g_steal_pointer(&message);

	event_id = g_strdup_printf("%s:%s", ctx->source_name, message->identifier);
	event = sr_event_new(ctx->source_name, event_id);
	event->status = event_status;
	event->updated_at = message->sent;
	event->started_at = message->sent;
	event->severity = SR_SEVERITY_UNKNOWN;
	event->urgency = SR_URGENCY_UNKNOWN;
	event->certainty = SR_CERTAINTY_UNKNOWN;
	/* a Cancel often has no <info>: what it is about is the messages it references */
	event->kind = SR_KIND_UNKNOWN;
	chosen = choose_info(infos, ctx);
	if (chosen != NULL)
		info_fill(event, infos, chosen, message->sent);
	event->phase = SR_PHASE_ACTIVE;
	if (g_ascii_strcasecmp(message->msg_type, "Cancel") == 0) {
		event->phase = SR_PHASE_CANCELLED;
		event->ended_at = message->sent;
	} else if (g_ascii_strcasecmp(message->msg_type, "Update") == 0 && chosen != NULL &&
	           (info_has_all_clear(chosen) || info_is_green(chosen))) {
		event->phase = SR_PHASE_ENDED;
		event->ended_at = message->sent;
	} else if (chosen != NULL && info_is_green(chosen)) {
		/* no warning: nothing to show */
		return g_steal_pointer(&message);
	}
	for (guint i = 0; i < message->references->len; i++)
		sr_event_add_reference(event, g_ptr_array_index(message->references, i));
	message->event = g_steal_pointer(&event);
	return g_steal_pointer(&message);
}

/* index feeds */

gboolean
sr_cap_body_is_index(const char *body, gsize len)
{
	gsize i = 0;

	if (body == NULL)
		return FALSE;
	if (len >= 3 && memcmp(body, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < len) {
		gsize start = 0;
		gsize local = 0;
		gsize n = 0;
		if (g_ascii_isspace(body[i])) {
			i++;
			continue;
		}
		if (body[i] != '<' || i + 1 >= len)
			return FALSE;
		/* the XML declaration, processing instructions and comments come before the root;
		 * a DOCTYPE does too, but nothing with one is parsed */
		if (body[i + 1] == '?' || (len - i >= 4 && memcmp(body + i, "<!--", 4) == 0)) {
			const char *close = body[i + 1] == '?' ? "?>" : "-->";
			gsize close_len = strlen(close);
			gsize j = i + 2;
			while (j + close_len <= len && memcmp(body + j, close, close_len) != 0)
				j++;
			if (j + close_len > len)
				return FALSE;
			i = j + close_len;
			continue;
		}
		start = local = i + 1;
		for (i = start; i < len; i++) {
			char c = body[i];
			if (c == ':')
				local = i + 1;
			else if (!g_ascii_isalnum(c) && c != '-' && c != '_' && c != '.')
				break;
		}
		n = i - local;
		return (n == 4 && memcmp(body + local, "feed", 4) == 0) ||
		       (n == 3 && memcmp(body + local, "rss", 3) == 0) ||
		       (n == 7 && memcmp(body + local, "channel", 7) == 0);
	}
	return FALSE;
}

/* the media type of a link, without parameters, is a CAP one */
static gboolean
is_cap_media_type(const char *type)
{
	gsize n = 0;
	if (type == NULL)
		return FALSE;
	n = strcspn(type, "; \t");
	return (n == strlen("application/cap+xml") &&
	        g_ascii_strncasecmp(type, "application/cap+xml", n) == 0) ||
	       (n == strlen("application/common-alerting-protocol+xml") &&
	        g_ascii_strncasecmp(type, "application/common-alerting-protocol+xml", n) == 0);
}

/* the CAP link of an Atom entry: the first typed as CAP, else the only one */
static char *
atom_entry_link(const xmlNode *entry)
{
	g_autofree char *only = NULL;
	guint n_links = 0;

	for (const xmlNode *child = entry->children; child != NULL; child = child->next) {
		g_autofree char *href = NULL;
		g_autofree char *type = NULL;
		if (!is_atom(child, "link"))
			continue;
		href = node_attr(child, "href");
		if (href == NULL)
			continue;
		type = node_attr(child, "type");
		if (is_cap_media_type(type))
			return g_steal_pointer(&href);
		n_links++;
		if (only == NULL)
			only = g_steal_pointer(&href);
	}
	return n_links == 1 ? g_steal_pointer(&only) : NULL;
}

/* a date of the feed as the version wants it: the same instant reads the same however the
 * feed writes it */
static char *
version_time(const char *text)
{
	gint64 t = 0;
	if (text == NULL)
		return NULL;
	if (parse_feed_time(text, &t)) {
		char *str = sr_time_to_rfc3339(t);
		if (str != NULL)
			return str;
	}
	return g_strdup(text);
}

/* whether the cap: summary of an entry says it cannot concern @location. A summary may say
 * less than its document (no polygon, fewer kinds of geocode), and a skipped entry is an alert
 * never seen: it is judged only when every way the location can match is in the summary (a
 * shape for a point, geocodes of each name the user lists for geocodes) */
static gboolean
summary_misses_location(const SrLocation *location, const SrArea *area)
{
	gboolean has_geocodes = FALSE;

	if (location == NULL)
		return FALSE;
	has_geocodes = location->geocodes != NULL && location->geocodes->len > 0;
	if (!location->has_point && !has_geocodes)
		return FALSE;
	if (location->has_point && area->polygons->len == 0 && area->circles->len == 0)
		return FALSE;
	for (guint i = 0; has_geocodes && i < location->geocodes->len; i++) {
		const SrGeocode *mine = g_ptr_array_index(location->geocodes, i);
		gboolean named = FALSE;
		for (guint j = 0; j < area->geocodes->len && !named; j++) {
			const SrGeocode *theirs = g_ptr_array_index(area->geocodes, j);
			named = g_ascii_strcasecmp(mine->name, theirs->name) == 0;
		}
		if (!named)
			return FALSE;
	}
	return !sr_location_matches_area(location, area);
}

/* the cap: summary of an entry as an area; NWS lists a geocode's values in one element,
 * separated by spaces ("IAZ068 IAZ069") */
static void
add_summary_shapes(SrEvent *summary, const xmlNode *entry)
{
	for (const xmlNode *child = entry->children; child != NULL; child = child->next) {
		if (!is_cap_ns(child->ns))
			continue;
		if (is_named(child, "polygon")) {
			g_autofree char *text = node_text(child);
			add_polygon(summary, text);
		} else if (is_named(child, "circle")) {
			g_autofree char *text = node_text(child);
			add_circle(summary, text);
		} else if (is_named(child, "geocode")) {
			g_autofree char *name = any_child_text(child, "valueName");
			g_autofree char *value = any_child_text(child, "value");
			g_auto(GStrv) values = NULL;
			if (name == NULL || value == NULL)
				continue;
			values = g_strsplit_set(value, " \t\r\n", -1);
			for (guint i = 0; values[i] != NULL; i++) {
				if (values[i][0] != '\0')
					sr_event_add_geocode(summary, name, values[i]);
			}
		}
	}
}

/* one Atom entry or RSS item; NULL when it lists no document that can be fetched */
static SrIndexEntry *
index_entry(const xmlNode *node, gboolean atom, GHashTable *self_links, const SrParseContext *ctx)
{
	g_autoptr(SrEvent) summary = NULL;
	g_autoptr(GString) version = g_string_new(NULL);
	g_autofree char *key = NULL;
	g_autofree char *url = NULL;
	g_autofree char *updated = NULL;
	g_autofree char *expires = NULL;
	g_autofree char *sent = NULL;
	g_autofree char *identifier = NULL;
	g_autofree char *msg_type = NULL;
	SrIndexEntry *entry = NULL;
	gboolean skip = FALSE;

	for (const xmlNode *child = node->children; child != NULL; child = child->next) {
		if (child->type != XML_ELEMENT_NODE)
			continue;
		if (atom ? is_atom(child, "id") : is_rss(child, "guid")) {
			if (key == NULL)
				key = node_text(child);
		} else if (atom ? is_atom(child, "updated") : is_rss(child, "pubDate")) {
			if (updated == NULL)
				updated = node_text(child);
		} else if (!atom && is_rss(child, "link")) {
			if (url == NULL)
				url = node_text(child);
		} else if (!is_cap_ns(child->ns)) {
			continue;
		} else if (is_named(child, "expires")) {
			g_free(expires);
			expires = node_text(child);
		} else if (is_named(child, "sent")) {
			g_free(sent);
			sent = node_text(child);
		} else if (is_named(child, "identifier")) {
			g_free(identifier);
			identifier = node_text(child);
		} else if (is_named(child, "msgType") || is_named(child, "message_type")) {
			g_free(msg_type);
			msg_type = node_text(child);
		}
	}
	if (atom)
		url = atom_entry_link(node);
	if (url == NULL) {
		sr_source_log_once(G_LOG_DOMAIN, "index entry", key != NULL ? key : "(no id)",
		                   "has no link to a CAP document: skipped");
		return NULL;
	}
	/* a relative link ("storm.xml", "/cap/1.xml") is resolved by the poller against the
	 * feed's own address, as Atom and RSS readers do; another scheme is never followed */
	if (!is_http_url(url) && !is_relative_reference(url)) {
		sr_source_log_once(G_LOG_DOMAIN, "index link", url,
		                   "is neither an http(s) URL nor a relative one: skipped");
		return NULL;
	}
	if (g_hash_table_contains(self_links, url)) {
		sr_source_log_once(G_LOG_DOMAIN, "index link", url, "is the feed itself: skipped");
		return NULL;
	}
	if (key == NULL)
		key = g_strdup(url);

	/* the version changes when the document does: a new update time, a new message */
	{
		g_autofree char *updated_version = version_time(updated);
		g_autofree char *sent_version = version_time(sent);
		const char *parts[] = {updated_version, sent_version, identifier};
		for (guint i = 0; i < G_N_ELEMENTS(parts); i++) {
			if (parts[i] == NULL)
				continue;
			if (version->len > 0)
				g_string_append_c(version, ' ');
			g_string_append(version, parts[i]);
		}
	}
	entry = sr_index_entry_new(key, url, version->len > 0 ? version->str : NULL);

	if (expires != NULL && ctx->now > 0) {
		gint64 t = 0;
		if (parse_feed_time(expires, &t)) {
			skip = t < ctx->now;
		} else if (parse_iso_time(expires, TRUE, &t)) {
			/* without a zone it is a wall-clock time anywhere from UTC+14 to UTC-12:
			 * past only when it is past in every zone */
			skip = t + ZONELESS_SLACK < ctx->now;
		}
	}
	/* acknowledgements and errors list no hazard */
	if (msg_type != NULL && (g_ascii_strcasecmp(msg_type, "Ack") == 0 ||
	                         g_ascii_strcasecmp(msg_type, "Error") == 0))
		skip = TRUE;
	if (!skip && ctx->location != NULL) {
		summary = sr_event_new(NULL, NULL);
		add_summary_shapes(summary, node);
		skip = summary_misses_location(ctx->location, &summary->area);
	}
	entry->skip = skip;
	return entry;
}

/* the feed's rel="self" links: an entry pointing there would have the feed fetch itself */
static void
collect_self_links(const xmlNode *parent, GHashTable *self_links)
{
	for (const xmlNode *child = parent->children; child != NULL; child = child->next) {
		g_autofree char *rel = NULL;
		char *href = NULL;
		if (!is_atom(child, "link"))
			continue;
		rel = node_attr(child, "rel");
		if (g_strcmp0(rel, "self") != 0)
			continue;
		href = node_attr(child, "href");
		if (href != NULL)
			g_hash_table_add(self_links, href);
	}
}

GPtrArray *
sr_cap_parse_index(const char *body, gsize len, const SrParseContext *ctx, GError **error)
{
	g_autoptr(xmlDoc) doc = NULL;
	g_autoptr(GPtrArray) entries =
	    g_ptr_array_new_with_free_func((GDestroyNotify)sr_index_entry_free);
	g_autoptr(GHashTable) self_links =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	const xmlNode *root = NULL;
	const xmlNode *container = NULL;
	gboolean atom = FALSE;

	g_return_val_if_fail(ctx != NULL, NULL);

	doc = xml_read(body, len, INDEX_MAX_SIZE, _("CAP index feed"), error);
	if (doc == NULL)
		return NULL;
	root = xmlDocGetRootElement(doc);
	if (is_atom(root, "feed")) {
		atom = TRUE;
		container = root;
	} else if (is_rss(root, "rss")) {
		for (const xmlNode *child = root->children; child != NULL; child = child->next) {
			if (is_rss(child, "channel")) {
				container = child;
				break;
			}
		}
	} else if (is_rss(root, "channel")) {
		container = root;
	}
	if (container == NULL) {
		g_autofree char *name = sr_source_excerpt((const char *)root->name);
		g_set_error(error, SR_ERROR, SR_ERROR_PARSE,
		            _("not an Atom or RSS 2.0 feed: the root element is <%s>"), name);
		return NULL;
	}
	collect_self_links(container, self_links);
	for (const xmlNode *child = container->children; child != NULL; child = child->next) {
		SrIndexEntry *entry = NULL;
		if (atom ? !is_atom(child, "entry") : !is_rss(child, "item"))
			continue;
		entry = index_entry(child, atom, self_links, ctx);
		if (entry != NULL)
			g_ptr_array_add(entries, entry);
	}
	return g_steal_pointer(&entries);
}
