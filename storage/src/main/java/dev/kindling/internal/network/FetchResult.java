package dev.kindling.internal.network;

/**
 * What one block fetch did.
 *
 * @param bytes               bytes written to the sink (the block's size)
 * @param chunks              chunk requests sent
 * @param maxBytesInFlight    the most bytes that were requested and not yet written to the sink at any moment
 */
public record FetchResult(long bytes, int chunks, long maxBytesInFlight) {
}
