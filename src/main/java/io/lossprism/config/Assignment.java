package io.lossprism.config;

/** One {@code --set key=value} override, split at its first '='. */
record Assignment(String key, String value) {

    static Assignment parse(String text) {
        int equals = text.indexOf('=');
        if (equals < 0) {
            throw new ConfigException("--set '" + text + "': expected key=value, e.g. --set training.epochs=5");
        }
        String key = text.substring(0, equals).strip();
        if (key.isEmpty()) {
            throw new ConfigException("--set '" + text + "': missing the key before '=', e.g. --set training.epochs=5");
        }
        return new Assignment(key, text.substring(equals + 1));
    }

    /** As written on the command line. */
    String text() {
        return key + "=" + value;
    }
}
