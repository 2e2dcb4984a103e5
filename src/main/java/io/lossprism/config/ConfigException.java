package io.lossprism.config;

/**
 * A configuration or command-line error, meant to be shown to the user as is. The message is a
 * single line naming the offending key (dotted path), argument or file and what is allowed.
 */
public final class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(oneLine(message));
    }

    public ConfigException(String message, Throwable cause) {
        super(oneLine(message), cause);
    }

    private static String oneLine(String message) {
        return message.replaceAll("\\s*\\R\\s*", " ").strip();
    }
}
