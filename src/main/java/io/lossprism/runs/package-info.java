/**
 * Runs: a run is one training job with an id, the configuration it was started with, a folder for its
 * checkpoints and its history in the store. {@link io.lossprism.runs.RunManager}, a verticle, starts,
 * resumes, pauses and stops them (at most one at a time holds the trainer), names them and deletes them
 * (never the one holding the trainer; {@code RunFolders} removes its folder and nothing outside it), and
 * offers that to the web side as {@link io.lossprism.runs.RunControl};
 * {@link io.lossprism.runs.RunConfigurations} builds a new run's configuration and rebuilds a stored one's;
 * {@link io.lossprism.runs.StoreJournal} is the way into the store for a run's history: runs are created,
 * and their history written, through it; only a name, notes and a deletion go from the manager directly.
 */
package io.lossprism.runs;
