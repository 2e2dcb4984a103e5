/**
 * Command-line tools that need no server: {@code decompose} explains a saved batch's loss, class by
 * class, from the arrays a user saved with NumPy.
 */
package io.lossprism.cli;
