/**
 * How the process starts: settings the native backend reads only at process start (the allocator it is
 * linked against, OpenMP's thread count and wait policy) are put in place by starting the JVM once more
 * with them, so that {@code java -jar lossprism.jar} gets them without anything set by hand.
 */
package io.lossprism.launch;
