package io.lossprism.runs;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Removes a run's own folder ({@code <runs root>/<run id>}) and everything in it, and nothing else: an id
 * that does not name a direct child of the root is refused, and symbolic links inside are removed as links,
 * never followed.
 */
final class RunFolders {

    private RunFolders() {}

    /**
     * Deletes {@code root/runId} recursively; a run without a folder (it never trained) is fine.
     *
     * @throws RunException 400 for an id that is not a plain folder name; 500 naming the path that could not
     *         be deleted
     */
    static void delete(Path root, String runId) {
        Path base = root.toAbsolutePath().normalize();
        Path dir = base.resolve(runId).normalize();
        if (runId.isEmpty()
                || !base.equals(dir.getParent())
                || !dir.getFileName().toString().equals(runId)) {
            throw new RunException(400, "run id '" + runId + "' does not name a folder under " + base);
        }
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            // without FOLLOW_LINKS a link (even one to a folder) is visited as a file: the link goes, not its target
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    if (e instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE; // removed meanwhile: gone is what was asked
                    }
                    throw e;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path folder, IOException e) throws IOException {
                    if (e != null) {
                        throw e;
                    }
                    Files.deleteIfExists(folder);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new RunException(500, "could not delete the folder of run " + runId + " (" + dir + "): " + e, e);
        }
    }
}
