/* synth_int.h — the name and country tables behind ctw_synth_persons
 * (private to src/synth).
 *
 * A name entry is one string, so the tables stay readable and need no
 * start-up parsing:
 *
 *   "Mohammed|Muhammad|Mohamed=محمد~Hamoudi"
 *
 * Latin spellings separated by '|' (the first is the most common one), then
 * optionally '=' and the name in its original script, then optionally '~'
 * and a short nickname. Tables are ordered most common first: the
 * generator draws early entries more often (Zipf-like), which is what makes
 * a million synthetic persons collide on names the way real lists do.
 */
#ifndef CTW_SYNTH_INT_H
#define CTW_SYNTH_INT_H

#include <stddef.h>

/* How a culture puts a full name together. */
typedef enum ctw__synth_style {
    CTW__ST_ARABIC,     /* given [bin] father [grandfather] family; kunya Abu X */
    CTW__ST_AFGHAN,     /* given [tribe/family]; often one name with a title */
    CTW__ST_PERSIAN,    /* given family */
    CTW__ST_PAKISTANI,  /* [Muhammad] given family */
    CTW__ST_SOMALI,     /* given father grandfather, no family name */
    CTW__ST_SAHEL,      /* given family (family often a father's name) */
    CTW__ST_TURKIC,     /* given [second given] family, diacritics */
    CTW__ST_KURDISH,    /* given father family */
    CTW__ST_SLAVIC,     /* given patronymic family, Cyrillic, -a for women */
    CTW__ST_CHINESE,    /* family given, Han characters */
    CTW__ST_UYGHUR,     /* given father's-given, Han transcription with a dot */
    CTW__ST_MALAY,      /* mononym, given family, or given bin father */
    CTW__ST_WESTERN,    /* given [middle] family */
    CTW__ST_SPANISH,    /* given [second] paternal maternal */
} ctw__synth_style;

typedef struct ctw__synth_list {
    const char *const *v;
    size_t n;
} ctw__synth_list;

typedef struct ctw__synth_culture {
    const char *name;         /* for humans reading the table */
    unsigned weight;          /* relative share of persons */
    ctw__synth_style style;
    ctw__synth_list male, female, family;
    const char *countries;    /* "iq:20 sy:18 ...": nationality codes and weights */
    const char *places;       /* '|' list of birth places used instead of the
                                 first country's own, or NULL */
    const char *titles;       /* '|' list for weak aliases ("Sheikh|Haji"), or NULL */
    const char *epithets;     /* '|' list of noms de guerre, or NULL */
    unsigned female_pct;      /* share of women */
    unsigned orig_pct;        /* share given an original-script name */
    unsigned kunya_pct;       /* share given an "Abu X" alias */
    unsigned skew;            /* 1..3: how strongly common names dominate */
    int fold;                 /* diacritics: 0 none, 1 strip, 2 ICAO (ä -> ae) */
} ctw__synth_culture;

typedef struct ctw__synth_country {
    const char *code;     /* FtM country code (ISO alpha-2, lower case) */
    const char *nisba;    /* "al-Iraqi": the kunya suffix for this country */
    const char *passport; /* number shape: 'a' letter, '9' digit, 'x' either, else literal */
    const char *places;   /* '|' list of places of birth */
} ctw__synth_country;

extern const ctw__synth_culture ctw__synth_cultures[];
extern const size_t ctw__synth_ncultures;
extern const ctw__synth_country ctw__synth_countries[];
extern const size_t ctw__synth_ncountries;
/* Arabic male names, for kunyas of persons of any culture. */
extern const ctw__synth_list ctw__synth_arabic_male;
/* Nationalities often held as a second one (diaspora). */
extern const char ctw__synth_diaspora[];

/* The country row for an FtM code, or NULL. */
const ctw__synth_country *ctw__synth_country_get(const char *code, size_t len);

#endif
