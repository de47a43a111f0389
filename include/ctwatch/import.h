/* import.h — readers of outside watchlists and the import that applies
 * them to the store.
 *
 * A reader parses one format and hands each record it builds to a sink. It
 * knows nothing of the store, so it can be fuzzed and tested alone. The
 * reader sets kind, source_id and content; the import sets id, owner,
 * source, versions and dates.
 *
 * Readers treat their input as hostile: sizes are capped (CTW_IMPORT_MAX_*),
 * XML is read with network access and entity expansion off, and a fault is
 * reported in err with the file and line or element where it is.
 */
#ifndef CTWATCH_IMPORT_H
#define CTWATCH_IMPORT_H

#include <stddef.h>

#include <jansson.h>

#include "ctwatch/access.h"
#include "ctwatch/error.h"
#include "ctwatch/record.h"
#include "ctwatch/store.h"

#define CTW_IMPORT_MAX_FILE   (512u * 1024u * 1024u) /* bytes in one input file */
#define CTW_IMPORT_MAX_FIELD  (64u * 1024u)          /* bytes in one field / line value */
#define CTW_IMPORT_MAX_LINE   (4u * 1024u * 1024u)   /* bytes in one JSON line */

/* The sink always takes ownership of rec (it frees it, even on error).
 * Return 0 to go on; any other value stops the reader, which returns it. */
typedef int (*ctw_record_sink)(void *ud, ctw_record *rec);

/* UN Security Council Consolidated List XML. `name` names the input in
 * error messages. */
int ctw_un_xml_read_mem(const char *buf, size_t len, const char *name,
                        ctw_record_sink sink, void *ud, ctw_error *err);

/* OFAC SDN legacy CSV: sdn.csv with optional alt.csv and add.csv (NULL
 * buffers are treated as empty). Each record is given to the sink after its
 * aliases and addresses are attached, so alt and add are read first. */
int ctw_ofac_csv_read_mem(const char *sdn, size_t sdn_len, const char *sdn_name,
                          const char *alt, size_t alt_len, const char *alt_name,
                          const char *add, size_t add_len, const char *add_name,
                          ctw_record_sink sink, void *ud, ctw_error *err);

/* FollowTheMoney entities, one JSON object per line. Passport /
 * Identification / Sanction entities are attached to the Person or
 * Organization they name (holder / entity), wherever they appear. */
int ctw_ftm_read_mem(const char *buf, size_t len, const char *name,
                     ctw_record_sink sink, void *ud, ctw_error *err);

/* Write r as FtM JSON lines (the entity, then its Passport/Identification
 * and Sanction entities) to the caller's callback, one line per call
 * (without newline). Returns 0 or the callback's non-zero value. */
typedef int (*ctw_line_fn)(void *ud, const char *line, size_t len);
int ctw_ftm_write(const ctw_record *r, ctw_line_fn fn, void *ud);

/* Read a whole file into a new buffer (caller frees), refusing files over
 * max bytes. The path "-" reads standard input (which is not closed). */
int ctw_read_file(const char *path, size_t max, char **out, size_t *len, ctw_error *err);

/* --- import into the store -------------------------------------------- */

typedef enum ctw_import_format {
    CTW_FORMAT_UN_XML = 1,
    CTW_FORMAT_OFAC_CSV,
    CTW_FORMAT_FTM,
} ctw_import_format;

/* "un-xml", "ofac-csv", "ftm"; and the inverse (CTW_EINVAL if unknown). */
const char *ctw_import_format_name(ctw_import_format f);
int ctw_import_format_from_name(const char *s);

typedef struct ctw_import_opts {
    const char *owner;   /* agency code; default per format ("UN-SC", "US-OFAC", "LOCAL") */
    const char *source;  /* source name; default "un-sc", "ofac-sdn", or "ftm:<file stem>" */
    const char *now;     /* timestamp to stamp records with; NULL: current time */
} ctw_import_opts;

/* Read files (UN: one XML; OFAC: sdn.csv [alt.csv] [add.csv] in any order,
 * told apart by their names or columns; FtM: any number of files forming
 * one source), and apply them to the store in one transaction: new
 * records are added, changed ones get a new version, ones gone from the
 * source are marked removed, identical ones are left alone.
 * On success *summary is a new JSON object:
 *   {"source":..,"format":..,"owner":..,"files":[..],
 *    "added":{"person":n,..},"changed":{..},"removed":{..},"unchanged":{..},
 *    "total":{"added":n,"changed":n,"removed":n,"unchanged":n}}
 * On any failure nothing is written, *summary is untouched and err names
 * the file and line or element. */
int ctw_import_files(ctw_store *s, const ctw_principal *p, ctw_import_format fmt,
                     const char *const *files, size_t nfiles,
                     const ctw_import_opts *opts, json_t **summary, ctw_error *err);

#endif
