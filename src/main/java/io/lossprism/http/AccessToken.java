package io.lossprism.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bearer token that guards the controls: from the configuration, else from the token file in the
 * storage folder, else generated once (256 random bits), written there readable by the owner only,
 * and printed once so the user can copy it.
 */
public final class AccessToken {

    private static final Logger LOG = LoggerFactory.getLogger(AccessToken.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final byte[] value;

    private AccessToken(String value) {
        this.value = value.getBytes(StandardCharsets.UTF_8);
    }

    /** @param configured the configured token, or empty to use (or create) {@code <dir>/token} */
    public static AccessToken resolve(String configured, Path dir) {
        if (!configured.isEmpty()) {
            return new AccessToken(configured);
        }
        Path file = dir.resolve("token");
        try {
            Files.createDirectories(dir);
            if (Files.exists(file)) {
                String stored = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (stored.isEmpty()) {
                    throw new IllegalStateException(file + ": token file is empty; delete it to generate a new token");
                }
                return new AccessToken(stored);
            }
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            write(file, token);
            LOG.info("generated the control token, stored owner-only in {} (shown only this once): {}", file, token);
            return new AccessToken(token);
        } catch (IOException e) {
            throw new IllegalStateException(file + ": cannot read or create the token file: " + e.getMessage(), e);
        }
    }

    private static void write(Path file, String token) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file); // not a POSIX file system
        } catch (FileAlreadyExistsException e) {
            throw new IOException("created meanwhile by another process", e);
        }
        Files.writeString(file, token + "\n", StandardCharsets.UTF_8, StandardOpenOption.WRITE);
    }

    /** Constant-time comparison, so response timing does not reveal how much of a guess was right. */
    public boolean matches(String candidate) {
        if (candidate == null) {
            return false;
        }
        return MessageDigest.isEqual(value, candidate.getBytes(StandardCharsets.UTF_8));
    }

    /** True when an {@code Authorization} header value carries this token as a bearer token. */
    public boolean matchesHeader(String authorization) {
        String prefix = "Bearer ";
        return authorization != null
                && authorization.regionMatches(true, 0, prefix, 0, prefix.length())
                && matches(authorization.substring(prefix.length()).strip());
    }

    @Override
    public String toString() {
        return "AccessToken[hidden]";
    }
}
