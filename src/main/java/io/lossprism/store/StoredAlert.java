package io.lossprism.store;

/** A stored alert transition: the iteration and time (epoch milliseconds) it happened at, and its JSON. */
public record StoredAlert(long iteration, long timeMillis, String json) {}
