/**
 * Kindling's internals shared between its own packages and modules. Not a part of the public API:
 * anything here can change without notice. User code needs nothing from this package.
 */
package dev.kindling.internal;
