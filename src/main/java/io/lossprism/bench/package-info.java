/** Benchmarks run from the command line; they print figures and assert nothing. */
package io.lossprism.bench;
