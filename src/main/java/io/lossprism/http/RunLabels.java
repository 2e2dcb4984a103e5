package io.lossprism.http;

import io.lossprism.runs.RunException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * The body of {@code PATCH /api/runs/{id}}: a run's {@code name} and {@code notes}, checked. A field left
 * out stays as it is; {@code null} or {@code ""} clears it. Names are one line, without surrounding
 * spaces; notes may span lines. Other
 * control characters, and the invisible ones that reorder text (bidirectional overrides), are refused.
 *
 * @param name  the new name, "" to clear, null to keep
 * @param notes the new notes, "" to clear, null to keep
 */
record RunLabels(String name, String notes) {

    static final int MAX_NAME = 100;
    static final int MAX_NOTES = 4000;
    private static final Set<String> FIELDS = Set.of("name", "notes");

    /** @throws RunException 400 naming the field that is wrong */
    static RunLabels parse(String body) {
        JsonObject json;
        try {
            json = body == null || body.isBlank() ? new JsonObject() : new JsonObject(body);
        } catch (DecodeException | ClassCastException e) {
            throw new RunException(400, "body: must be a JSON object like {\"name\": \"...\", \"notes\": \"...\"}");
        }
        for (String field : json.fieldNames()) {
            if (!FIELDS.contains(field)) {
                throw new RunException(400, shorten(field) + ": unknown field; a run's name and notes can be changed");
            }
        }
        if (json.isEmpty()) {
            throw new RunException(400, "body: give name, notes or both");
        }
        return new RunLabels(text(json, "name", MAX_NAME, false), text(json, "notes", MAX_NOTES, true));
    }

    private static String text(JsonObject json, String field, int max, boolean multiline) {
        if (!json.containsKey(field)) {
            return null;
        }
        Object value = json.getValue(field);
        if (value == null) {
            return "";
        }
        if (!(value instanceof String text)) {
            throw new RunException(400, field + ": must be a string or null");
        }
        int length = text.codePointCount(0, text.length());
        if (length > max) {
            throw new RunException(400, field + ": at most " + max + " characters, got " + length);
        }
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            boolean lineBreak = c == '\n' || c == '\r' || c == '\t';
            if ((Character.getType(c) == Character.CONTROL && !(multiline && lineBreak)) || reorders(c)) {
                throw new RunException(
                        400,
                        field + ": control characters are not allowed"
                                + (multiline ? " (line breaks and tabs are)" : "") + "; found U+"
                                + String.format("%04X", c) + " at character " + text.codePointCount(0, i));
            }
            i += Character.charCount(c);
        }
        return multiline ? text : text.strip();
    }

    /** Bidirectional embeddings, overrides and isolates: they make text read differently from what it holds. */
    private static boolean reorders(int c) {
        return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
    }

    private static String shorten(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }
}
