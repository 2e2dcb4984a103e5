/**
 * Runs: a run is one training job with an id, the configuration it was started with, a folder for its
 * checkpoints and its history in the store. {@link io.lossprism.runs.RunManager}, a verticle, starts,
 * resumes, pauses and stops them (at most one at a time holds the trainer) and offers that to the web side
 * as {@link io.lossprism.runs.RunControl}; {@link io.lossprism.runs.RunConfigurations} builds a new run's
 * configuration and rebuilds a stored one's; {@link io.lossprism.runs.StoreJournal} is the one way into the
 * store: runs are created, and their history written, through it. {@link io.lossprism.runs.LiveRuns} lists the
 * runs live now, the DL4J run and external runs fed over HTTP, whose owner registers and finishes them there.
 */
package io.lossprism.runs;
