package dev.taskpoller.ingest;

/**
 * The caps on what a request may hold ({@code taskpoller.input.*}). They keep every record taskpoller derives from
 * a request (the in-flight record, the events, a rejection) far below a Kafka record's size limit.
 *
 * @param maxRequestBytes     a whole request (a Kafka message or an inbox line), UTF-8 bytes
 * @param maxMetadataBytes    the metadata object as compact JSON, UTF-8 bytes
 * @param maxMetadataDepth    how deeply the metadata object may nest (the object itself is depth 1)
 */
public record InputLimits(int maxRequestBytes, int maxProviderLength, int maxTaskIdLength, int maxCorrelationIdLength,
                          int maxMetadataBytes, int maxMetadataDepth) {
}
