/* gen_airports.c — build-time generator: the airport table behind
 * ctw_airport_lookup(), from the vendored OpenFlights data
 * (data/openflights/, ODbL 1.0, see its PROVENANCE).
 *
 * Usage: gen_airports AIRPORTS.dat COUNTRIES.dat ISO_3166-1.json > airports.h
 *
 * airports.dat, one airport a line, CSV with "..." quoting ("" for a quote
 * inside) and \N for null:
 *     340,"Frankfurt am Main Airport","Frankfurt","Germany","FRA","EDDF",50.03,8.57,...
 *     [0] id [1] name [2] city [3] country name [4] IATA [5] ICAO [6] lat [7] lon
 * countries.dat:
 *     "Germany","DE","GM"       [0] name [1] ISO alpha-2 [2] DAFIF code
 * iso_3166-1.json (Debian iso-codes): {"3166-1": [{"alpha_2":"DE","alpha_3":"DEU",...}]}
 *
 * The country name becomes alpha-2 through countries.dat (plus the short list
 * below of names the two files spell differently, and of airports whose
 * country is gone), and alpha-2 becomes
 * alpha-3 through iso-codes, here at build time, so the table in the library
 * is constant data that needs no initialisation and no file at run time.
 * A name or code that cannot be resolved stops the build: a refreshed
 * snapshot must not lose countries silently.
 *
 * Output: ctw__airports[] (ctw_airport initialisers; those with an IATA code
 * first, sorted by IATA, then the others sorted by ICAO),
 * ctw__airports_by_icao[] (indices into it, sorted by ICAO code), and the
 * codes of both orders as integer keys (ctw__airports_iata_key[],
 * ctw__airports_icao_key[]).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#define MAX_FIELDS 16
#define MAX_AIRPORTS 20000
#define MAX_COUNTRIES 512

/* Country names of airports.dat that countries.dat spells otherwise. */
static const struct { const char *name, *alpha2; } name_alias[] = {
    {"Congo (Kinshasa)", "CD"}, {"Congo (Brazzaville)", "CG"}, {"Burma", "MM"},
    {"Kyrgyzstan", "KG"}, {"Faroe Islands", "FO"}, {"Cape Verde", "CV"},
    {"Saint Vincent and the Grenadines", "VC"}, {"Micronesia", "FM"},
    {"Virgin Islands", "VI"}, /* OpenFlights: the US islands (STT, STX); the British are named so */
    {"East Timor", "TL"}, {"Swaziland", "SZ"}, {"Saint Pierre and Miquelon", "PM"},
    {"Wallis and Futuna", "WF"}, {"Saint Kitts and Nevis", "KN"}, {"Saint Lucia", "LC"},
    {"Brunei", "BN"}, {"Svalbard", "SJ"}, {"Saint Helena", "SH"}, {"West Bank", "PS"},
    {"Macau", "MO"},
    /* no code in countries.dat: ISO files them under US Minor Outlying Islands */
    {"Midway Islands", "UM"}, {"Johnston Atoll", "UM"}, {"Wake Island", "UM"},
};

/* Airports filed under a country that no longer exists: the Netherlands
 * Antilles (AN) were dissolved in 2010 into Curacao, Sint Maarten and the
 * Caribbean Netherlands (Bonaire, Sint Eustatius, Saba). */
static const struct { const char *iata, *alpha2; } airport_alias[] = {
    {"BON", "BQ"}, {"CUR", "CW"}, {"EUX", "BQ"}, {"SXM", "SX"}, {"SAB", "BQ"},
};

typedef struct airport {
    char *iata, *icao, *name, *city;
    const char *alpha3;
    double lat, lon;
} airport;

static struct { char *name, *alpha2; } countries[MAX_COUNTRIES];
static size_t n_countries;
static airport airports[MAX_AIRPORTS];
static size_t n_airports;
static json_t *iso; /* alpha-2 -> alpha-3 */

static void die(const char *what, const char *detail)
{
    fprintf(stderr, "gen_airports: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    exit(1);
}

static char *dup_or_null(const char *s)
{
    if (!s || !*s || strcmp(s, "\\N") == 0) return NULL;
    char *d = strdup(s);
    if (!d) die("out of memory", NULL);
    return d;
}

/* Split one CSV line in place; fields point into line. Returns the count. */
static size_t split_csv(char *line, char **field, size_t cap)
{
    size_t n = 0;
    char *p = line;
    for (;;) {
        if (n == cap) return n;
        if (*p == '"') {
            char *out = ++p;
            field[n++] = out;
            for (;;) {
                if (*p == '\0') break;
                if (*p == '"') {
                    if (p[1] == '"') {
                        *out++ = '"';
                        p += 2;
                        continue;
                    }
                    p++;
                    break;
                }
                *out++ = *p++;
            }
            /* anything between the closing quote and the comma is dropped */
            char *comma = strchr(p, ',');
            *out = '\0';
            if (!comma) return n;
            p = comma + 1;
        } else {
            field[n++] = p;
            char *comma = strchr(p, ',');
            if (!comma) {
                p[strcspn(p, "\r\n")] = '\0';
                return n;
            }
            *comma = '\0';
            p = comma + 1;
        }
    }
}

static FILE *open_or_die(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) die("cannot open", path);
    return f;
}

static void load_countries(const char *path)
{
    FILE *f = open_or_die(path);
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, f) > 0) {
        char *fld[MAX_FIELDS];
        size_t n = split_csv(line, fld, MAX_FIELDS);
        if (n < 2) continue;
        char *a2 = dup_or_null(fld[1]);
        if (!a2) continue; /* territories without a code (Coral Sea Islands, ...) */
        if (n_countries == MAX_COUNTRIES) die("too many countries in", path);
        countries[n_countries].name = dup_or_null(fld[0]);
        countries[n_countries].alpha2 = a2;
        n_countries++;
    }
    free(line);
    fclose(f);
}

static void load_iso(const char *path)
{
    json_error_t jerr;
    json_t *root = json_load_file(path, 0, &jerr);
    if (!root) die("cannot read", path);
    iso = json_object();
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(root, "3166-1"), i, e) {
        const char *a2 = json_string_value(json_object_get(e, "alpha_2"));
        const char *a3 = json_string_value(json_object_get(e, "alpha_3"));
        if (a2 && a3) json_object_set_new(iso, a2, json_string(a3));
    }
    json_decref(root);
    if (json_object_size(iso) < 200) die("too few countries in", path);
}

static const char *alpha3_of(const char *country_name, const char *iata)
{
    const char *a2 = NULL;
    for (size_t i = 0; i < sizeof airport_alias / sizeof airport_alias[0] && iata && !a2; i++)
        if (strcmp(airport_alias[i].iata, iata) == 0) a2 = airport_alias[i].alpha2;
    for (size_t i = 0; i < sizeof name_alias / sizeof name_alias[0] && !a2; i++)
        if (strcmp(name_alias[i].name, country_name) == 0) a2 = name_alias[i].alpha2;
    for (size_t i = 0; i < n_countries && !a2; i++)
        if (countries[i].name && strcmp(countries[i].name, country_name) == 0) a2 = countries[i].alpha2;
    if (!a2) die("country name not in countries.dat nor in name_alias (add it)", country_name);
    const char *a3 = json_string_value(json_object_get(iso, a2));
    if (!a3) die("alpha-2 code not in iso_3166-1.json", a2);
    return a3;
}

static int is_code(const char *s, size_t len)
{
    if (!s || strlen(s) != len) return 0;
    for (size_t i = 0; i < len; i++)
        if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9'))) return 0;
    return 1;
}

static void load_airports(const char *path)
{
    FILE *f = open_or_die(path);
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, f) > 0) {
        char *fld[MAX_FIELDS];
        if (split_csv(line, fld, MAX_FIELDS) < 8) continue;
        /* FAA local identifiers ("03N") sit in the ICAO column of a few rows */
        int iata = is_code(fld[4], 3), icao = is_code(fld[5], 4);
        if (!iata && !icao) continue;
        if (n_airports == MAX_AIRPORTS) die("too many airports in", path);
        airport *a = &airports[n_airports++];
        a->iata = iata ? dup_or_null(fld[4]) : NULL;
        a->icao = icao ? dup_or_null(fld[5]) : NULL;
        a->name = dup_or_null(fld[1]);
        a->city = dup_or_null(fld[2]);
        a->alpha3 = alpha3_of(fld[3], a->iata);
        char *end;
        a->lat = strtod(fld[6], &end);
        if (end == fld[6]) die("bad latitude for", fld[1]);
        a->lon = strtod(fld[7], &end);
        if (end == fld[7]) die("bad longitude for", fld[1]);
    }
    free(line);
    fclose(f);
}

/* IATA airports first by IATA, then the rest by ICAO. */
static int by_iata(const void *pa, const void *pb)
{
    const airport *a = pa, *b = pb;
    if (a->iata && b->iata) return strcmp(a->iata, b->iata);
    if (a->iata || b->iata) return a->iata ? -1 : 1;
    return strcmp(a->icao, b->icao);
}

static int by_icao(const void *pa, const void *pb)
{
    const airport *a = &airports[*(const unsigned *)pa], *b = &airports[*(const unsigned *)pb];
    return strcmp(a->icao, b->icao);
}

/* Up to 4 bytes of a code, big-endian: "FRA" → 0x00465241 ... sorts as the string. */
static unsigned long key(const char *code)
{
    unsigned long k = 0;
    for (size_t i = 0; code[i]; i++) k = (k << 8) | (unsigned char)code[i];
    return k;
}

/* A C string literal: octal escapes for anything but printable ASCII, and
 * '?' escaped too, since -std=c17 turns "??x" into trigraphs. */
static void put_str(const char *s)
{
    if (!s) {
        fputs("NULL", stdout);
        return;
    }
    putchar('"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\' || *p == '?') printf("\\%c", *p);
        else if (*p < 0x20 || *p >= 0x7f) printf("\\%03o", *p);
        else putchar(*p);
    }
    putchar('"');
}

int main(int argc, char **argv)
{
    if (argc != 4) die("usage: gen_airports AIRPORTS.dat COUNTRIES.dat ISO_3166-1.json", NULL);
    load_iso(argv[3]);
    load_countries(argv[2]);
    load_airports(argv[1]);
    if (n_airports > 65535) die("too many airports for unsigned short indices", NULL);
    qsort(airports, n_airports, sizeof airports[0], by_iata);

    size_t n_iata = 0;
    for (size_t i = 0; i < n_airports; i++) {
        if (airports[i].iata) n_iata++;
        if (i > 0 && airports[i].iata && strcmp(airports[i].iata, airports[i - 1].iata) == 0)
            die("duplicate IATA code", airports[i].iata);
    }
    static unsigned icao_idx[MAX_AIRPORTS];
    size_t n_icao = 0;
    for (size_t i = 0; i < n_airports; i++)
        if (airports[i].icao) icao_idx[n_icao++] = (unsigned)i;
    qsort(icao_idx, n_icao, sizeof icao_idx[0], by_icao);
    for (size_t i = 1; i < n_icao; i++)
        if (strcmp(airports[icao_idx[i]].icao, airports[icao_idx[i - 1]].icao) == 0)
            die("duplicate ICAO code", airports[icao_idx[i]].icao);

    printf("/* Generated by tools/gen_airports.c from data/openflights (OpenFlights, ODbL 1.0)\n"
           " * and iso-codes' iso_3166-1.json. Do not edit. */\n");
    printf("#define CTW__AIRPORTS_N %zu\n#define CTW__AIRPORTS_N_IATA %zu\n#define CTW__AIRPORTS_N_ICAO %zu\n\n",
           n_airports, n_iata, n_icao);
    printf("static const ctw_airport ctw__airports[CTW__AIRPORTS_N] = {\n");
    for (size_t i = 0; i < n_airports; i++) {
        const airport *a = &airports[i];
        fputs("    {", stdout);
        put_str(a->iata), fputs(", ", stdout);
        put_str(a->icao), fputs(", ", stdout);
        put_str(a->name), fputs(", ", stdout);
        put_str(a->city), fputs(", ", stdout);
        put_str(a->alpha3);
        printf(", %.6f, %.6f},\n", a->lat, a->lon);
    }
    printf("};\n\nstatic const unsigned short ctw__airports_by_icao[CTW__AIRPORTS_N_ICAO] = {\n");
    for (size_t i = 0; i < n_icao; i++) printf("%s%u,%s", i % 12 ? " " : "    ", icao_idx[i], i % 12 == 11 ? "\n" : "");
    /* the same orders as 32-bit keys (the code's bytes, big-endian), so a
     * lookup compares integers rather than strings */
    printf("\n};\n\nstatic const uint32_t ctw__airports_iata_key[CTW__AIRPORTS_N_IATA] = {\n");
    for (size_t i = 0; i < n_iata; i++) printf("%s0x%08lx,%s", i % 8 ? " " : "    ", key(airports[i].iata), i % 8 == 7 ? "\n" : "");
    printf("\n};\n\nstatic const uint32_t ctw__airports_icao_key[CTW__AIRPORTS_N_ICAO] = {\n");
    for (size_t i = 0; i < n_icao; i++)
        printf("%s0x%08lx,%s", i % 8 ? " " : "    ", key(airports[icao_idx[i]].icao), i % 8 == 7 ? "\n" : "");
    printf("\n};\n");
    json_decref(iso);
    return 0;
}
