/* country.c — country names to ISO 3166-1 alpha-3 (see country.h).
 *
 * Keys are folded: ASCII lower case, punctuation to spaces, runs of spaces
 * collapsed, a leading "the " dropped, so "Congo, The Democratic Republic
 * of the" and "congo the democratic republic of the" meet.
 * Non-ASCII letters are kept as they are (UTF-8 bytes).
 */
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ctwatch/country.h"
#include "ctwatch/error.h"

#define KEY_MAX 160

/* Names lists use that ISO 3166 does not spell this way. */
static const struct { const char *name, *code; } extra_names[] = {
    {"russia", "RUS"}, {"burma", "MMR"}, {"korea north", "PRK"}, {"north korea", "PRK"},
    {"democratic people s republic of korea", "PRK"}, {"korea south", "KOR"},
    {"south korea", "KOR"}, {"republic of korea", "KOR"}, {"iran", "IRN"},
    {"iran islamic republic of", "IRN"}, {"syria", "SYR"}, {"venezuela", "VEN"},
    {"bolivia", "BOL"}, {"tanzania", "TZA"}, {"united republic of tanzania", "TZA"},
    {"vietnam", "VNM"}, {"viet nam", "VNM"}, {"laos", "LAO"},
    {"lao people s democratic republic", "LAO"}, {"moldova", "MDA"},
    {"republic of moldova", "MDA"}, {"macedonia", "MKD"}, {"north macedonia", "MKD"},
    {"former yugoslav republic of macedonia", "MKD"},
    {"democratic republic of the congo", "COD"}, {"congo democratic republic of the", "COD"},
    {"congo kinshasa", "COD"}, {"drc", "COD"}, {"republic of the congo", "COG"},
    {"congo republic of the", "COG"}, {"congo brazzaville", "COG"},
    {"ivory coast", "CIV"}, {"cote d ivoire", "CIV"}, {"palestinian", "PSE"},
    {"palestine", "PSE"}, {"state of palestine", "PSE"}, {"occupied palestinian territory", "PSE"},
    {"west bank", "PSE"}, {"gaza", "PSE"}, {"gaza strip", "PSE"},
    {"united states", "USA"}, {"usa", "USA"}, {"united states of america", "USA"},
    {"united kingdom", "GBR"}, {"uk", "GBR"}, {"great britain", "GBR"}, {"england", "GBR"},
    {"united kingdom of great britain and northern ireland", "GBR"},
    {"turkey", "TUR"}, {"turkiye", "TUR"}, {"czech republic", "CZE"}, {"czechia", "CZE"},
    {"kosovo", "RKS"}, {"yugoslavia", "YUG"}, {"federal republic of yugoslavia", "YUG"},
    {"serbia and montenegro", "SCG"}, {"ussr", "SUN"}, {"soviet union", "SUN"},
    {"union of soviet socialist republics", "SUN"}, {"netherlands antilles", "ANT"},
    {"cape verde", "CPV"}, {"cabo verde", "CPV"}, {"swaziland", "SWZ"}, {"eswatini", "SWZ"},
    {"east timor", "TLS"}, {"timor leste", "TLS"}, {"vatican", "VAT"}, {"holy see", "VAT"},
    {"bahamas", "BHS"}, {"gambia", "GMB"}, {"taiwan", "TWN"}, {"macau", "MAC"}, {"macao", "MAC"},
    {"hong kong", "HKG"}, {"brunei", "BRN"}, {"micronesia", "FSM"}, {"libyan arab jamahiriya", "LBY"},
    {"libya", "LBY"}, {"sudan south", "SSD"}, {"south sudan", "SSD"}, {"the sudan", "SDN"},
    {"saint kitts and nevis", "KNA"}, {"st kitts and nevis", "KNA"}, {"saint lucia", "LCA"},
    {"st lucia", "LCA"}, {"saint vincent and the grenadines", "VCT"},
    {"trinidad tobago", "TTO"}, {"bosnia", "BIH"}, {"bosnia herzegovina", "BIH"},
    {"uae", "ARE"}, {"emirates", "ARE"}, {"region kurdistan iraq", "IRQ"},
    {"netherlands the", "NLD"}, {"holland", "NLD"}, {"germany federal republic of", "DEU"},
    {"west germany", "DEU"}, {"east germany", "DDR"}, {"crimea", "UKR"},
    {"stateless", "XXA"}, {"stateless person", "XXA"}, {"refugee", "XXB"},
    {"unknown", "XXX"}, {"unspecified", "XXX"}, {"d", "DEU"}, /* ICAO 9303: D is Germany */
    {"former soviet union", "SUN"}, {"china hong kong special administrative region", "HKG"},
    {"hong kong special administrative region", "HKG"},
};

/* ICAO 9303 Part 3 codes that are not ISO 3166-1 alpha-3. */
static const char *const icao_codes[] = {
    "D", "GBD", "GBN", "GBO", "GBP", "GBS", "UNO", "UNA", "UNK", "XXA", "XXB", "XXC",
    "XXX", "RKS", "EUE", "XPO", "XOM", "XDC", "XBA", "XIM", "XCC", "XCE", "XCO", "XEC",
    "XES", "XMP", "XOB", "XDB", "UTO", "UTS", "ANT", "NTZ", "YUG", "SCG", "SUN", "DDR",
};

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static json_t *by_key;   /* folded name -> alpha-3 */
static json_t *by_code;  /* alpha-3 -> English name */
static int load_rc;

static void fold(const char *in, char *out, size_t cap)
{
    size_t o = 0;
    bool space = false;
    for (const unsigned char *p = (const unsigned char *)in; *p && o + 2 < cap; p++) {
        unsigned char c = *p;
        if (c >= 0x80 || isalnum(c)) {
            if (space && o > 0) out[o++] = ' ';
            space = false;
            out[o++] = (char)(c < 0x80 ? tolower(c) : c);
        } else {
            space = true;
        }
    }
    out[o] = '\0';
    if (strncmp(out, "the ", 4) == 0) memmove(out, out + 4, o - 3);
}

static void add_key(const char *name, const char *code)
{
    char k[KEY_MAX];
    if (!name || !code) return;
    fold(name, k, sizeof k);
    if (*k && !json_object_get(by_key, k)) json_object_set_new(by_key, k, json_string(code));
}

static int load_file(const char *dir, const char *file, const char *member, bool former)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    json_error_t jerr;
    json_t *root = json_load_file(path, 0, &jerr);
    if (!root) return CTW_EIO;
    json_t *list = json_object_get(root, member);
    size_t i;
    json_t *e;
    json_array_foreach(list, i, e) {
        const char *a3 = json_string_value(json_object_get(e, "alpha_3"));
        if (!a3) continue;
        const char *name = json_string_value(json_object_get(e, "name"));
        if (!former || !json_object_get(by_code, a3)) {
            const char *common = json_string_value(json_object_get(e, "common_name"));
            json_object_set_new(by_code, a3, json_string(common ? common : name ? name : a3));
        }
        add_key(a3, a3);
        if (!former) add_key(json_string_value(json_object_get(e, "alpha_2")), a3);
        add_key(name, a3);
        add_key(json_string_value(json_object_get(e, "common_name")), a3);
        add_key(json_string_value(json_object_get(e, "official_name")), a3);
    }
    json_decref(root);
    return 0;
}

static void load(void)
{
    by_key = json_object();
    by_code = json_object();
    const char *dir = getenv("CTWATCH_ISO_CODES_DIR");
    if (!dir || !*dir) dir = "/usr/share/iso-codes/json";
    /* current names first: a former code never shadows a current name */
    load_rc = load_file(dir, "iso_3166-1.json", "3166-1", false);
    for (size_t i = 0; i < sizeof extra_names / sizeof extra_names[0]; i++)
        add_key(extra_names[i].name, extra_names[i].code);
    if (load_rc == 0) load_file(dir, "iso_3166-3.json", "3166-3", true);
    for (size_t i = 0; i < sizeof icao_codes / sizeof icao_codes[0]; i++) {
        add_key(icao_codes[i], icao_codes[i]);
        if (!json_object_get(by_code, icao_codes[i]))
            json_object_set_new(by_code, icao_codes[i], json_string(icao_codes[i]));
    }
}

int ctw_country_load(void)
{
    pthread_once(&load_once, load);
    return load_rc;
}

const char *ctw_country_lookup(const char *text)
{
    char k[KEY_MAX];
    if (!text) return NULL;
    ctw_country_load();
    fold(text, k, sizeof k);
    if (!*k) return NULL;
    json_t *v = json_object_get(by_key, k);
    if (!v) {
        /* "Iraq (as at 2003)", "Syrian Arab Republic; Iraq": try up to a separator */
        size_t cut = strcspn(text, "(;/");
        if (cut > 0 && cut < strlen(text)) {
            char head[KEY_MAX];
            snprintf(head, sizeof head, "%.*s", (int)cut, text);
            fold(head, k, sizeof k);
            v = json_object_get(by_key, k);
        }
    }
    return v ? json_string_value(v) : NULL;
}

const char *ctw_country_name(const char *alpha3)
{
    if (!alpha3) return NULL;
    ctw_country_load();
    return json_string_value(json_object_get(by_code, alpha3));
}

bool ctw_country_is_code(const char *alpha3)
{
    return ctw_country_name(alpha3) != NULL;
}
