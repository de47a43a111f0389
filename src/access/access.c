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
    return owner && p->agency && strcmp(owner, p->agency) == 0 &&
           (p->role == CTW_ROLE_SUPERVISOR || p->role == CTW_ROLE_AGENCY_ADMIN);
}

bool ctw_access_can_write(const ctw_principal *p, const ctw_record *r)
{
    return r && ctw_access_can_write_owned(p, r->owner);
}
