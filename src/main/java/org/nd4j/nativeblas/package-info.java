/**
 * Not ours: this package name is where DL4J 1.0.0-M2.1 looks for a class it no longer ships.
 * {@link org.nd4j.nativeblas.Nd4jCpu} fills that gap so the oneDNN layer helpers work.
 */
package org.nd4j.nativeblas;
