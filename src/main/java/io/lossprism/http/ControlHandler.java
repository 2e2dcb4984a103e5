package io.lossprism.http;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Carries out a training control a feed client asked for. The live feed answers the client with a
 * {@code control-result} built from the returned JSON.
 */
@FunctionalInterface
public interface ControlHandler {

    /**
     * @param action "pause", "resume" or "stop"
     * @param token  the control token the client sent, or null; checking it is the handler's job
     * @return JSON with {@code ok} (boolean) and, when not ok, {@code error} (a short reason); a failed
     *     future is answered as not ok with the failure's message
     */
    Future<JsonObject> control(String action, String token);
}
