/**
 * Experiments that answer a question by training: {@code experiment remedies} trains the configuration
 * once per loss remedy (class weights, pos_weight, focal, Dice, BCE + Dice) and prints what each does to
 * the rare class. Uses the trainer's API only; no DL4J here.
 */
package io.lossprism.experiment;
