package io.lossprism.store;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files only their owner may read: the history holds each run's configuration, credentials included (a
 * run resumes from it). A new data folder is created 0700; the database is 0600 before SQLite first opens
 * it, so that its -wal and -shm files, which SQLite creates with the database's mode, are 0600 too; an
 * existing database (and its -wal, -shm) is set to 0600 at open. An existing folder keeps its mode (it may
 * be shared, such as the working directory). Nothing is changed on a file system without POSIX modes.
 */
final class OwnerOnly {

    private static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private OwnerOnly() {}

    /** Creates {@code directory} (and missing parents) owner-only when missing. */
    static void folder(Path directory) throws IOException {
        if (Files.isDirectory(directory)) {
            return;
        }
        if (directory.getParent() != null) {
            Files.createDirectories(directory.getParent());
        }
        try {
            Files.createDirectory(directory, posix(directory) ? attribute(FOLDER) : new FileAttribute<?>[0]);
        } catch (FileAlreadyExistsException e) {
            // created meanwhile, or a link to a folder: used as it is
        }
    }

    /** Creates {@code database} empty and 0600 when missing; sets it and its -wal and -shm to 0600 otherwise. */
    static void database(Path database) throws IOException {
        if (!posix(database.getParent())) {
            return;
        }
        try {
            Files.createFile(database, attribute(FILE));
        } catch (FileAlreadyExistsException e) {
            for (String suffix : new String[] {"", "-wal", "-shm"}) {
                Path file = database.resolveSibling(database.getFileName() + suffix);
                if (Files.isRegularFile(file)
                        && !Files.getPosixFilePermissions(file).equals(FILE)) {
                    Files.setPosixFilePermissions(file, FILE);
                }
            }
        }
    }

    private static boolean posix(Path path) {
        Path existing = path;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        return (existing == null ? Path.of("").toAbsolutePath() : existing)
                .getFileSystem()
                .supportedFileAttributeViews()
                .contains("posix");
    }

    private static FileAttribute<?>[] attribute(Set<PosixFilePermission> permissions) {
        return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)};
    }
}
