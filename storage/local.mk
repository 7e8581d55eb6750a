# storage/: RocksDB instance, catalog persistence.
noinst_LIBRARIES += storage/libstorage.a
storage_libstorage_a_SOURCES = \
	storage/storage.c storage/storage.h \
	storage/catalog.c storage/catalog.h storage/catalog_int.h \
	storage/catalog_codec.c
EXTRA_DIST += storage/README.md
