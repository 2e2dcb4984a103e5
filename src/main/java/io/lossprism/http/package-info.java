/**
 * The one HTTP server: the dashboard from {@code web/}, WebJars, the live WebSocket feed at
 * {@code /ws}, Prometheus metrics at {@code /metrics} and JSON status at {@code /api/status}.
 *
 * <p>The feed follows docs/protocol.md: {@link io.lossprism.http.ReportHistory} keeps the run's reports
 * in bounded memory for history and gap messages, each client gets a bounded
 * {@code ClientChannel}, and control messages go to a {@link io.lossprism.http.ControlHandler}. All of
 * it runs on the HTTP verticle's event loop.
 */
package io.lossprism.http;
