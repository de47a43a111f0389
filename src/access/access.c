/* access.c — the one access check (see access.h).
 *
 * The rules of DESIGN.md §5 that can be decided from a principal and a
 * record alone live here. The exchange issue extends the principal (the
 * agency's regions come from the store) and adds the hit-only path to
 * screening; no caller decides access on its own.
 */
#include <string.h>

#include "ctwatch/access.h"

static const char *const role_names[] = {"none", "officer", "analyst", "supervisor",
                                         "agency-admin", "auditor", "system-admin"};

const char *ctw_role_name(ctw_role r)
{
    return (unsigned)r < sizeof role_names / sizeof role_names[0] ? role_names[r] : "none";
}

/* Least privilege (DESIGN.md §5): officers screen and check (and read what
 * they hit), analysts search, read and analyse, supervisors also restrict
 * and publish, agency administrators manage their agency's users, auditors
 * read the log. A system administrator runs the system (imports act as it). */
#define R(role) (1u << (role))
static const unsigned op_roles[CTW_OP__COUNT] = {
    [CTW_OP_SCREEN] = R(CTW_ROLE_OFFICER) | R(CTW_ROLE_ANALYST) | R(CTW_ROLE_SUPERVISOR) | R(CTW_ROLE_SYSTEM_ADMIN),
    [CTW_OP_READ] = R(CTW_ROLE_OFFICER) | R(CTW_ROLE_ANALYST) | R(CTW_ROLE_SUPERVISOR) | R(CTW_ROLE_SYSTEM_ADMIN),
    [CTW_OP_RESTRICT] = R(CTW_ROLE_SUPERVISOR) | R(CTW_ROLE_SYSTEM_ADMIN),
    [CTW_OP_RULES_READ] = R(CTW_ROLE_OFFICER) | R(CTW_ROLE_ANALYST) | R(CTW_ROLE_SUPERVISOR) | R(CTW_ROLE_SYSTEM_ADMIN),
    [CTW_OP_RULES_WRITE] = R(CTW_ROLE_ANALYST) | R(CTW_ROLE_SUPERVISOR) | R(CTW_ROLE_SYSTEM_ADMIN),
    [CTW_OP_AUDIT_READ] = R(CTW_ROLE_AUDITOR) | R(CTW_ROLE_SYSTEM_ADMIN),
    [CTW_OP_IDENTITIES] = R(CTW_ROLE_AGENCY_ADMIN) | R(CTW_ROLE_SYSTEM_ADMIN),
    [CTW_OP_STATS] = R(CTW_ROLE_OFFICER) | R(CTW_ROLE_ANALYST) | R(CTW_ROLE_SUPERVISOR) | R(CTW_ROLE_AGENCY_ADMIN) |
                     R(CTW_ROLE_AUDITOR) | R(CTW_ROLE_SYSTEM_ADMIN),
    /* bulk disclosure is analysis work, not a border officer's */
    [CTW_OP_EXPORT] = R(CTW_ROLE_ANALYST) | R(CTW_ROLE_SUPERVISOR) | R(CTW_ROLE_SYSTEM_ADMIN),
};
#undef R

static const char *const op_names[CTW_OP__COUNT] = {
    [CTW_OP_SCREEN] = "screen", [CTW_OP_READ] = "read records", [CTW_OP_RESTRICT] = "restrict records",
    [CTW_OP_RULES_READ] = "read rules", [CTW_OP_RULES_WRITE] = "write rules", [CTW_OP_AUDIT_READ] = "read the audit log",
    [CTW_OP_IDENTITIES] = "manage users", [CTW_OP_STATS] = "read statistics", [CTW_OP_EXPORT] = "export records",
};

const char *ctw_operation_name(ctw_operation op)
{
    return (unsigned)op < CTW_OP__COUNT ? op_names[op] : "?";
}

bool ctw_access_role_permits(const ctw_principal *p, ctw_operation op)
{
    if (!p || (unsigned)op >= CTW_OP__COUNT || (unsigned)p->role > CTW_ROLE_SYSTEM_ADMIN) return false;
    /* a border system's key screens and checks, nothing else */
    if (p->scope) return op == CTW_OP_SCREEN;
    return (op_roles[op] >> p->role) & 1u;
}

const ctw_principal *ctw_principal_cli(void)
{
    static const ctw_principal cli = {
        .user = "cli", .agency = "LOCAL", .regions = NULL,
        .role = CTW_ROLE_SYSTEM_ADMIN, .purpose = "administration",
    };
    return &cli;
}

/* True if item is one of the comma-separated entries of list. */
static bool in_list(const char *list, const char *item)
{
    if (!list || !item || !*item) return false;
    size_t n = strlen(item);
    for (const char *p = list; *p;) {
        while (*p == ' ' || *p == ',') p++;
        const char *end = p;
        while (*end && *end != ',') end++;
        const char *e = end;
        while (e > p && e[-1] == ' ') e--;
        if ((size_t)(e - p) == n && strncmp(p, item, n) == 0) return true;
        p = end;
    }
    return false;
}

static bool any_in_list(const char *list, const char *items)
{
    if (!items) return false;
    char one[128];
    for (const char *p = items; *p;) {
        while (*p == ' ' || *p == ',') p++;
        size_t n = strcspn(p, ",");
        if (n > 0 && n < sizeof one) {
            memcpy(one, p, n);
            one[n] = '\0';
            if (in_list(list, one)) return true;
        }
        p += n;
    }
    return false;
}

ctw_access ctw_access_check_owned(const ctw_principal *p, const char *owner, const ctw_restriction *r)
{
    if (!p || !r || p->role == CTW_ROLE_NONE) return CTW_ACCESS_DENY;
    if (p->role == CTW_ROLE_SYSTEM_ADMIN) return CTW_ACCESS_READ;
    /* a role that neither reads nor screens sees no record, not even its own agency's */
    if (!ctw_access_role_permits(p, CTW_OP_READ) && !ctw_access_role_permits(p, CTW_OP_SCREEN))
        return CTW_ACCESS_DENY;
    if (owner && p->agency && strcmp(owner, p->agency) == 0) return CTW_ACCESS_READ;
    switch (r->kind) {
    case CTW_RESTRICT_ALL:
        return CTW_ACCESS_READ;
    case CTW_RESTRICT_AGENCIES:
        return in_list(r->list, p->agency) ? CTW_ACCESS_READ : CTW_ACCESS_HIT_ONLY;
    case CTW_RESTRICT_REGIONS:
        return any_in_list(r->list, p->regions) ? CTW_ACCESS_READ : CTW_ACCESS_HIT_ONLY;
    case CTW_RESTRICT_ALL_EXCEPT:
        return in_list(r->list, p->agency) ? CTW_ACCESS_HIT_ONLY : CTW_ACCESS_READ;
    case CTW_RESTRICT_HIT_ONLY:
        return CTW_ACCESS_HIT_ONLY;
    }
    return CTW_ACCESS_DENY;
}

ctw_access ctw_access_check(const ctw_principal *p, const ctw_record *r)
{
    if (!r) return CTW_ACCESS_DENY;
    return ctw_access_check_owned(p, r->owner, &r->restriction);
}

bool ctw_access_can_write_owned(const ctw_principal *p, const char *owner)
{
    /* a scoped principal (a border system's key) only screens: even a
     * role that could write does not make its key a writer */
    if (!p || p->scope) return false;
    if (p->role == CTW_ROLE_SYSTEM_ADMIN) return true;
    return owner && p->agency && strcmp(owner, p->agency) == 0 && ctw_access_role_permits(p, CTW_OP_RESTRICT);
}

bool ctw_access_can_write(const ctw_principal *p, const ctw_record *r)
{
    return r && ctw_access_can_write_owned(p, r->owner);
}
