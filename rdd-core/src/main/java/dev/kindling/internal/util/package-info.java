/**
 * Small helpers with no dependencies, shared by the API and internal packages.
 *
 * <p><b>Not a part of the public API</b>: anything here can change without notice. Exported only to
 * Kindling's own modules (see {@code module-info.java}).
 */
package dev.kindling.internal.util;
