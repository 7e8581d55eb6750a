# storage/: RocksDB instance, catalog persistence.
noinst_LIBRARIES += storage/libstorage.a
storage_libstorage_a_SOURCES = \
	storage/storage.c storage/storage.h \
	storage/catalog.c storage/catalog.h storage/catalog_int.h \
	storage/catalog_codec.c
# Plain tables: rows, keys, transactions.
storage_libstorage_a_SOURCES += \
	storage/table.c storage/table.h storage/table_int.h \
	storage/table_codec.c storage/table_overlay.c
# Row keys from primary-key values (streaming plain-table sink).
storage_libstorage_a_SOURCES += storage/table_rowkey.c
EXTRA_DIST += storage/README.md
