package dev.portcullis.session;

import java.util.List;

/**
 * CDI event fired in a transaction that ends sessions; caches drop them when it completes.
 *
 * @param tokenHashes the ended sessions' cookie hashes
 */
public record SessionChanged(List<String> tokenHashes) {}
