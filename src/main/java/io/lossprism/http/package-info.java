/**
 * The HTTP server: the dashboard from {@code web/}, WebJars, the live WebSocket feed at
 * {@code /ws}, Prometheus metrics at {@code /metrics}, JSON status at {@code /api/status}, the active
 * alerts and latest transitions at {@code /api/alerts} (both for one run, {@code ?run=}), the live runs at
 * {@code /api/live} ({@link io.lossprism.runs.LiveRuns}), the run API under {@code /api/runs}
 * ({@link io.lossprism.http.RunApi}; the runs view's fields in {@code RunListing}, names and notes checked by
 * {@code RunLabels}) and runs side by side at {@code /api/compare} ({@code CompareApi}, its logic in
 * {@link io.lossprism.compare}), with access control and rate limits in front.
 *
 * <p>In front of every route, in this order: {@code RequestErrors} (the JSON answer to any failure, a
 * throttled log line, never a client-provoked stack trace), {@code SecurityHeaders} (nosniff,
 * Cache-Control), {@code HostCheck} (DNS rebinding), the per-address rate limit of {@code AccessGuard},
 * and {@code MethodGuard} (405 with Allow, read from the routes themselves).
 *
 * <p>It follows training and alerts through the event bus, reads stored history through the read-only
 * {@link io.lossprism.store.RunHistory}, and starts or controls runs through
 * {@link io.lossprism.runs.RunControl}; it holds no other component's state.
 *
 * <p>The feed follows docs/protocol.md; each client follows one run ({@code /ws?run=}, else the default run),
 * its WebSocket upgrades come a few per turn of the event loop ({@code UpgradeQueue}), so that a crowd
 * connecting at once does not hold up other requests, and each run has its own {@link io.lossprism.http.ReportHistory}, which keeps the run's reports
 * in bounded memory for history and gap messages, new clients share one encoded opening history per
 * split ({@code OpeningHistory}, built on a worker thread), are live at once and get their opening at
 * a bounded pace, each client gets a bounded
 * {@code ClientChannel}, and what clients send is read frame by frame by {@code ControlRequests},
 * whose control messages go to a {@link io.lossprism.http.ControlHandler}.
 *
 * <p>The server runs as {@code http.eventLoops} instances ({@code HttpLoop}), each on its own event
 * loop, sharing the port. Each has its own router, sockets, {@code LiveFeed}, upgrade queue and
 * admission; the rest is the process's, shared by all and thread-safe: the {@code HttpVerticle} follows
 * the event bus once and keeps the runs' views, the {@code FeedHub} the runs' histories, opening
 * snapshots (built on a worker thread, once per split and change), the opening pace and the counts, and
 * one {@code AccessGuard} the per-address rate limit. Live messages are encoded once and handed to each
 * loop for its own clients.
 */
package io.lossprism.http;
