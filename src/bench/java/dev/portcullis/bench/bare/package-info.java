/**
 * The bare server of the load benchmark: a WAR of these classes only ({@link
 * dev.portcullis.bench.BareWar}), started on the same server with the same JVM options as
 * Portcullis, is the baseline every request-path ratio is given against.
 */
package dev.portcullis.bench.bare;
