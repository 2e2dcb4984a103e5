/**
 * Runs: a run is one training job with an id, the configuration it was started with, a folder for its
 * checkpoints and its history in the store. {@link io.lossprism.runs.RunManager} starts, resumes,
 * pauses and stops them (at most one at a time holds the trainer); {@link io.lossprism.runs.StoreJournal}
 * is how training writes its history.
 */
package io.lossprism.runs;
