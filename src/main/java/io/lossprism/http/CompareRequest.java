package io.lossprism.http;

import io.lossprism.runs.RunException;
import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.List;

/**
 * The parameters of {@code GET /api/compare}, checked: {@code runs} (2 to 6 distinct ids, comma-separated),
 * {@code split} (train or validation), {@code points} (the most points per run's series) and {@code at} (the
 * iteration of the values table; the latest common one when absent).
 */
record CompareRequest(List<String> runs, String split, int points, Long at) {

    static final int MIN_RUNS = 2;
    static final int MAX_RUNS = 6;
    static final int DEFAULT_POINTS = 1000;
    static final int MAX_POINTS = 10_000;

    /** @throws RunException 400 naming the parameter that is wrong */
    static CompareRequest parse(MultiMap params) {
        String text = params.get("runs");
        if (text == null || text.isBlank()) {
            throw new RunException(
                    400, "runs: give " + MIN_RUNS + " to " + MAX_RUNS + " run ids, comma-separated: runs=<id>,<id>");
        }
        String[] parts = text.split(",", -1);
        if (parts.length < MIN_RUNS || parts.length > MAX_RUNS) {
            throw new RunException(
                    400, "runs: compare " + MIN_RUNS + " to " + MAX_RUNS + " runs, got " + parts.length + " ids");
        }
        List<String> runs = new ArrayList<>(parts.length);
        for (String part : parts) {
            String id = part.strip();
            if (id.isEmpty()) {
                throw new RunException(400, "runs: an empty id in '" + shorten(text) + "'");
            }
            if (runs.contains(id)) {
                throw new RunException(400, "runs: run '" + shorten(id) + "' is named twice");
            }
            runs.add(id);
        }
        String split = params.get("split") == null ? "train" : params.get("split");
        if (!List.of("train", "validation").contains(split)) {
            throw new RunException(400, "split: must be train or validation, got '" + shorten(split) + "'");
        }
        int points = (int) number(params, "points", 2, MAX_POINTS, DEFAULT_POINTS);
        Long at = params.get("at") == null ? null : number(params, "at", 0, Long.MAX_VALUE, 0);
        return new CompareRequest(List.copyOf(runs), split, points, at);
    }

    private static long number(MultiMap params, String name, long min, long max, long fallback) {
        String text = params.get(name);
        if (text == null) {
            return fallback;
        }
        try {
            long value = Long.parseLong(text);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new RunException(
                400, name + ": must be an integer from " + min + " to " + max + ", got '" + shorten(text) + "'");
    }

    private static String shorten(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }
}
