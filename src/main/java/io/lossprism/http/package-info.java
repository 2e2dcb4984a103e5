/**
 * The one HTTP server: the dashboard from {@code web/}, WebJars, the live WebSocket feed at
 * {@code /ws}, Prometheus metrics at {@code /metrics}, JSON status at {@code /api/status}, the active
 * alerts and latest transitions at {@code /api/alerts}, the run API under {@code /api/runs}
 * ({@link io.lossprism.http.RunApi}; the runs view's fields in {@code RunListing}, names and notes checked by
 * {@code RunLabels}) and runs side by side at {@code /api/compare} ({@code CompareApi}, its logic in
 * {@link io.lossprism.compare}), with access control and rate limits in front.
 *
 * <p>It follows training and alerts through the event bus, reads stored history through the read-only
 * {@link io.lossprism.store.RunHistory}, and starts or controls runs through
 * {@link io.lossprism.runs.RunControl}; it holds no other component's state.
 *
 * <p>The feed follows docs/protocol.md: {@link io.lossprism.http.ReportHistory} keeps the run's reports
 * in bounded memory for history and gap messages, new clients share one encoded opening history per
 * split ({@code OpeningHistory}) and are let in a few at a time, each client gets a bounded
 * {@code ClientChannel}, and what clients send is read frame by frame by {@code ControlRequests},
 * whose control messages go to a {@link io.lossprism.http.ControlHandler}. All of it runs on the HTTP
 * verticle's event loop.
 */
package io.lossprism.http;
