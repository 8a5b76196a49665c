/**
 * Typed, read-only views over the raw TLVs of a {@link dev.jamesproxy.protocol.ProxyData}: the SSL TLV and
 * the cloud vendors' ids in the custom range 0xE0-0xEF. Each view decodes on demand and answers empty when
 * the TLV is absent or not in the expected format. JDK only, like the parser.
 */
package dev.jamesproxy.protocol.tlv;
