/**
 * The one HTTP server: the dashboard from {@code web/}, WebJars, the live WebSocket feed at
 * {@code /ws}, Prometheus metrics at {@code /metrics} and JSON status at {@code /api/status}.
 */
package io.lossprism.http;
