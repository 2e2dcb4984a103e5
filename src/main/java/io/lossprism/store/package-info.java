/**
 * Run history: every run, batch and validation report and alert transition, kept in one SQLite file,
 * {@code <data directory>/lossprism.db}, through {@link io.lossprism.store.RunStore}. Readers get its
 * read-only face, {@link io.lossprism.store.RunHistory}; only the runs package writes (its journal, and
 * the run manager's names, notes and deletions).
 *
 * <p>Why SQLite: the history is one ordinary file that users can open with {@code sqlite3} or
 * {@code pandas.read_sql} while training runs; its write-ahead log (WAL) is designed to survive a
 * process crash, so a {@code kill -9} loses no committed transaction and never corrupts the file; and it is
 * mature, embedded and needs no server.
 *
 * <p>Durability: {@code journal_mode=WAL} with {@code synchronous=NORMAL}. A commit reaches the operating
 * system before the call returns, so it survives the death of the JVM; it is not fsynced at every commit,
 * so an operating-system crash or power loss may roll back the last commits (never corrupting the file).
 * That trade keeps a one-report commit to about a millisecond on a busy 2-core machine, against a few
 * reports per second from training. {@code busy_timeout} makes a write wait for a reader that briefly locks
 * the file instead of failing. {@code PRAGMA user_version} holds the schema
 * version and {@code application_id} marks the file as LossPrism's: a file of a newer LossPrism, of another
 * application or that is not a database at all is refused with a {@link io.lossprism.store.StoreException}
 * naming it, never written into; so is a damaged file, found by SQLite's {@code quick_check} on a read-only
 * connection before the file is opened for writing ({@link io.lossprism.store.CorruptStoreException}).
 * A write that finds the disk full (SQLITE_FULL) stores nothing and fails with a
 * {@link io.lossprism.store.StoreFullException} naming the folder and the room needed; later writes work
 * once there is room.
 *
 * <p>The history holds each run's configuration, credentials included: a new data directory is created
 * 0700 and the database with its {@code -wal} and {@code -shm} files is 0600 ({@code OwnerOnly}).
 *
 * <p>Retention: old detail is downsampled, not dropped. {@link io.lossprism.store.RunStore#downsample}
 * replaces buckets of consecutive reports by their field-by-field {@link io.lossprism.store.JsonMean mean},
 * which records how many reports it stands for ({@code merged}) and the range of the loss.
 *
 * <p>This package knows no verticle and no Deeplearning4j; it uses Vert.x only for its JSON types.
 */
package io.lossprism.store;
