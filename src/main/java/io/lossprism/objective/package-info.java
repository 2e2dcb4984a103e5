/**
 * The training objective as pure math: which loss the network trains with ({@link
 * io.lossprism.objective.Objective}, DL4J's convention on logits), its value and exact gradient on a
 * batch ({@link io.lossprism.objective.ObjectiveFunction}, what the DL4J loss functions in
 * {@code training.losses} delegate to), and its decomposition into class terms from the same
 * specification ({@link io.lossprism.objective.ObjectiveDecomposer}). No Vert.x, no DL4J.
 */
package io.lossprism.objective;
