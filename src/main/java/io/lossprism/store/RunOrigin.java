package io.lossprism.store;

/**
 * Where a run's reports come from.
 *
 * @param kind "dl4j" for a run this server trains, "external" for one fed over the ingest API
 * @param meta what an external run declared (JSON text); null for a DL4J run
 */
public record RunOrigin(String kind, String meta) {

    public static final String DL4J = "dl4j";
    public static final String EXTERNAL = "external";
}
