/**
 * The losses the U-Net can train with, as DL4J loss functions: binary cross-entropy with pos_weight,
 * focal, Dice (micro or macro) and BCE + Dice, which DL4J 1.0.0-M2.1 lacks, each computing its value
 * and exact gradient through {@link io.lossprism.objective.ObjectiveFunction} from the same
 * {@link io.lossprism.objective.Objective} the decomposition reads ({@link
 * io.lossprism.training.losses.Losses} builds both from the configuration). Besides {@code training},
 * the only package that imports DL4J for training.
 */
package io.lossprism.training.losses;
