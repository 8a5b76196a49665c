package dev.jamesproxy.interop;

/**
 * The extension's Mail attribute names, spelled out: the interop tests run with the extension's classes off the
 * classpath (they live only in the jar James loads from {@code extensions-jars/}).
 */
final class MailAttributes {
    static final String PROXY_ADDRESS = "dev.jamesproxy.proxy.address";
    static final String CLIENT_ADDRESS = "dev.jamesproxy.client.address";
    static final String CLIENT_PORT = "dev.jamesproxy.client.port";
    static final String DESTINATION_ADDRESS = "dev.jamesproxy.destination.address";
    static final String DESTINATION_PORT = "dev.jamesproxy.destination.port";
    static final String DIRECT = "dev.jamesproxy.direct";
    static final String VERSION = "dev.jamesproxy.version";
    static final String COMMAND = "dev.jamesproxy.command";
    static final String CRC32C = "dev.jamesproxy.crc32c";
    static final String UNIQUE_ID = "dev.jamesproxy.uniqueId";
    static final String AUTHORITY = "dev.jamesproxy.authority";
    static final String TLS = "dev.jamesproxy.tls";
    static final String TLS_VERSION = "dev.jamesproxy.tls.version";
    static final String TLS_CIPHER = "dev.jamesproxy.tls.cipher";
    static final String TLS_SIGNATURE_ALGORITHM = "dev.jamesproxy.tls.signatureAlgorithm";
    static final String TLS_KEY_ALGORITHM = "dev.jamesproxy.tls.keyAlgorithm";
    static final String TLS_COMMON_NAME = "dev.jamesproxy.tls.commonName";
    static final String TLS_CLIENT_CERTIFICATE = "dev.jamesproxy.tls.clientCertificate";
    static final String TLS_CLIENT_CERTIFICATE_VERIFIED = "dev.jamesproxy.tls.clientCertificateVerified";

    private MailAttributes() {
    }
}
