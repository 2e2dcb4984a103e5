/**
 * Runs the pure alert engine of {@link io.lossprism.alert.rules} on the event bus: turns each batch report
 * into an observation, publishes every state change with its evidence, keeps each live run's own rule state,
 * active alerts and bounded history ({@link io.lossprism.alert.AlertRuns}) and publishes them after each change (for the API and new dashboard clients), and notifies
 * webhooks in Alertmanager's format without ever blocking training.
 */
package io.lossprism.alert;
