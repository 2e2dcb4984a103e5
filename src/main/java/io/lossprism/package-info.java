/**
 * LossPrism: trains a segmentation network and shows, while it trains, how its one loss number is
 * made of per-class terms. This package holds the wiring only: {@link io.lossprism.Main} reads the
 * command line and {@link io.lossprism.LossPrismApp} builds Vert.x and deploys one verticle per concern
 * (metrics, HTTP, alerts, runs; runs deploy training), which subscribe to the event bus in their own
 * {@code start()}.
 */
package io.lossprism;
