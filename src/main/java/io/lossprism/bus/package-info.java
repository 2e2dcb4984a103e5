/**
 * The event-bus contract between training and everything that watches it: addresses in one place,
 * immutable versioned message records, each naming the run it belongs to (several runs can be live at
 * once), and the pass-through codec for local delivery.
 */
package io.lossprism.bus;
