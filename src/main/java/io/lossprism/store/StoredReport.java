package io.lossprism.store;

/**
 * A stored report. {@code merged} is how many original reports the row stands for: 1 is full detail,
 * more means retention replaced that many consecutive reports by their mean, stored at the last one's
 * iteration.
 */
public record StoredReport(String split, long iteration, int merged, String json) {}
