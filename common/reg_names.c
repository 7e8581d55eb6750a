/*
 * reg_names.c: the reg* input/output hook table (see reg_names.h).  The hooks
 * are installed once at start-up before any session runs and only read
 * afterwards, so no locking.
 */
#include "common/reg_names.h"
#include "common/error.h"

#include <stdlib.h>

static RegNameHooks reg_hooks;

void reg_names_install(const RegNameHooks *hooks)
{
    reg_hooks = *hooks;
}

bool reg_type_is_named(Oid pg_oid)
{
    switch (pg_oid) {
    case REGCLASSOID:
    case REGTYPEOID:
    case REGPROCOID:
    case REGPROCEDUREOID:
    case REGNAMESPACEOID:
    case REGROLEOID: return true;
    default: return false;
    }
}

bool reg_names_lookup(Oid reg_type, Oid oid, StrBuf *out)
{
    size_t mark = out->len;
    if (reg_hooks.oid_to_name && reg_hooks.oid_to_name(reg_type, oid, out))
        return true;
    strbuf_truncate(out, mark);
    return false;
}

void reg_names_format(Oid reg_type, Oid oid, StrBuf *out)
{
    if (oid == 0) {
        strbuf_append_char(out, '-');
        return;
    }
    if (reg_names_lookup(reg_type, oid, out))
        return;
    strbuf_printf(out, "%u", (unsigned)oid);
}

Oid reg_names_parse(Oid reg_type, const char *s, size_t len)
{
    size_t i = 0, end = len;
    while (i < end && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n'))
        i++;
    while (end > i && (s[end - 1] == ' ' || s[end - 1] == '\t' || s[end - 1] == '\n'))
        end--;
    bool numeric = i < end;
    for (size_t k = i; k < end; k++)
        if (s[k] < '0' || s[k] > '9')
            numeric = false;
    if (numeric) {
        char buf[24];
        size_t n = end - i < sizeof(buf) - 1 ? end - i : sizeof(buf) - 1;
        memcpy(buf, s + i, n);
        buf[n] = '\0';
        unsigned long long v = strtoull(buf, NULL, 10);
        if (end - i > 10 || v > UINT32_MAX)
            ereport(ERROR, errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
                    errmsg("value \"%.*s\" is out of range for type oid", (int)len, s));
        return (Oid)v;
    }
    if (end - i == 1 && s[i] == '-')
        return 0;
    if (reg_hooks.name_to_oid == NULL)
        ereport(ERROR, errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                errmsg("cannot look up \"%.*s\": no catalog is available", (int)len, s));
    return reg_hooks.name_to_oid(reg_type, s + i, end - i);
}
