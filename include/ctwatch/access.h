/* access.h — the one access check (DESIGN.md §5).
 *
 * Every read, search, screening result and export of a record calls
 * ctw_access_check(). There is no other way to reach a record: the store's
 * read functions call it themselves and never hand out a record the caller
 * may not see. Until the exchange issue, the decision permits every
 * authenticated principal to read records whose restriction is "all" and
 * the owner's agency to read anything; other restrictions are enforced
 * as far as the principal's agency and regions are known.
 */
#ifndef CTWATCH_ACCESS_H
#define CTWATCH_ACCESS_H

#include <stdbool.h>

#include "ctwatch/record.h"

typedef enum ctw_role {
    CTW_ROLE_NONE = 0,
    CTW_ROLE_OFFICER,
    CTW_ROLE_ANALYST,
    CTW_ROLE_SUPERVISOR,
    CTW_ROLE_AGENCY_ADMIN,
    CTW_ROLE_AUDITOR,
    CTW_ROLE_SYSTEM_ADMIN,
} ctw_role;

const char *ctw_role_name(ctw_role r);

/* Who is asking. Owned by the caller; strings must outlive the calls that
 * take the principal. */
typedef struct ctw_principal {
    const char *user;     /* user name, "cli" for the local command line */
    const char *agency;   /* agency code of the user */
    const char *regions;  /* comma-separated regions of that agency, or NULL */
    ctw_role role;
    const char *purpose;  /* why: recorded in the audit entry */
    /* What the principal may do beyond reading: NULL for everything its
     * role allows; "screening" (an API key of a border system, auth.h) for
     * screening and checks only: never a write, never an administration
     * call. Routes ask ctw_auth_scope_permits() before acting. */
    const char *scope;
} ctw_principal;

/* The principal of the local command line: the operating-system user who
 * runs ctwatch on the store file is its administrator. Static. */
const ctw_principal *ctw_principal_cli(void);

/* What a role may do at all, before any record is looked at (DESIGN.md §5,
 * least privilege). The owner and restriction rules below then decide per
 * record. One table in access.c; every route and store function asks it. */
typedef enum ctw_operation {
    CTW_OP_SCREEN = 0,   /* screen a person, check a document, screen a manifest */
    CTW_OP_READ,         /* read records, movements, search */
    CTW_OP_RESTRICT,     /* change who sees a record (owner agency only) */
    CTW_OP_RULES_READ,   /* read risk rules */
    CTW_OP_RULES_WRITE,  /* write risk rules */
    CTW_OP_AUDIT_READ,   /* read the audit log */
    CTW_OP_IDENTITIES,   /* manage users and keys */
    CTW_OP_STATS,        /* counts, no personal data */
    CTW_OP_EXPORT,       /* take records out in bulk (a disclosure) */
    CTW_OP__COUNT
} ctw_operation;

const char *ctw_operation_name(ctw_operation op);

/* True if p's role may perform op at all. A principal with a scope (a
 * border system's key) may only screen. */
bool ctw_access_role_permits(const ctw_principal *p, ctw_operation op);

typedef enum ctw_access {
    CTW_ACCESS_DENY = 0,     /* nothing, not even existence */
    CTW_ACCESS_HIT_ONLY,     /* only "there is a hit, contact <owner>" */
    CTW_ACCESS_READ,         /* the whole record */
} ctw_access;

/* Decide what p may see of r. Pure function of its inputs. A role that
 * neither reads nor screens (agency-admin, auditor) is denied every record. */
ctw_access ctw_access_check(const ctw_principal *p, const ctw_record *r);
/* The same decision for anything owned and restricted like a record (a
 * stolen document, a movement): by owner agency and restriction. */
ctw_access ctw_access_check_owned(const ctw_principal *p, const char *owner, const ctw_restriction *r);
/* True if p may change what owner owns (see ctw_access_can_write). Never
 * for a principal with a scope (a screening key). */
bool ctw_access_can_write_owned(const ctw_principal *p, const char *owner);
/* True if p may change or delete r (only the owner's agency, or a system
 * administrator acting for imports). */
bool ctw_access_can_write(const ctw_principal *p, const ctw_record *r);

#endif
