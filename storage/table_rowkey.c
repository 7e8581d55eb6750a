/*
 * table_rowkey.c: the storage key of a plain-table row from its primary-key
 * values, for writers that address rows by key without reading them first
 * (the plain-table sink of streaming jobs turns an upsert into a delete of
 * the key plus an insert, and a changelog DELETE into a delete of the key).
 * The layout is table_codec.c's: 't' + OID + order-preserving key values.
 */
#include "storage/table_int.h"
#include "common/error.h"

void table_pk_rowkey(const CatTable *t, const Batch *rows, int row, StrBuf *out)
{
    char prefix[TABLE_KEY_PREFIX_LEN];

    if (t->nprimary_key <= 0)
        elog(ERROR, "table \"%s\" has no primary key", t->name);
    table_key_prefix(prefix, t->oid);
    strbuf_append(out, prefix, sizeof prefix);
    for (int k = 0; k < t->nprimary_key; k++) {
        int c = t->primary_key[k];
        const Vector *v = &rows->cols[c];
        if (!vector_is_valid(v, row))
            ereport(ERROR, errcode(ERRCODE_NOT_NULL_VIOLATION),
                    errmsg("null value in column \"%s\" of relation \"%s\" violates not-null "
                           "constraint",
                           t->columns[c].name, t->name));
        table_key_append_value(out, v, row);
    }
}
