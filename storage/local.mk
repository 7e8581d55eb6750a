# storage/: RocksDB instance, catalog persistence.
noinst_LIBRARIES += storage/libstorage.a
storage_libstorage_a_SOURCES = \
	storage/storage.h storage/catalog.h
