/* import_int.h — functions shared inside src/import (private).
 */
#ifndef CTW_IMPORT_INT_H
#define CTW_IMPORT_INT_H

#include "ctwatch/import.h"

/* ctw_ofac_csv_read_mem(), also counting the alt.csv and add.csv rows whose
 * ent_num is not in sdn.csv (ignored rows). The counts may be NULL. */
int ctw__ofac_csv_read_mem_counted(const char *sdn, size_t sdn_len, const char *sdn_name,
                                   const char *alt, size_t alt_len, const char *alt_name,
                                   const char *add, size_t add_len, const char *add_name,
                                   ctw_record_sink sink, void *ud, ctw_error *err,
                                   size_t *orphan_alt, size_t *orphan_add);

#endif
