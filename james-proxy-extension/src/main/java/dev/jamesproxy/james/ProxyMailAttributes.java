package dev.jamesproxy.james;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;

import dev.jamesproxy.protocol.AddressText;
import dev.jamesproxy.protocol.Hex;
import dev.jamesproxy.protocol.ProxyData;
import dev.jamesproxy.protocol.Tlv;
import dev.jamesproxy.protocol.TlvType;
import dev.jamesproxy.protocol.tlv.AwsVpcEndpoint;
import dev.jamesproxy.protocol.tlv.AzurePrivateLink;
import dev.jamesproxy.protocol.tlv.GcpPrivateServiceConnect;
import dev.jamesproxy.protocol.tlv.SslInfo;

/**
 * The Mail attributes a proxied listener sets on each received mail, so that matchers and mailets can
 * act on the proxy facts. Absent facts give absent attributes. Addresses are IP literals (no DNS) in James's
 * own form, the form of {@code Mail.getRemoteAddr()}, so that a mailet can compare them.
 * Hooks may add their own through {@link ProxyConnection#setMailAttribute}.
 */
public final class ProxyMailAttributes {
    /** The TCP peer: the proxy (String). */
    public static final String PROXY_ADDRESS = "dev.jamesproxy.proxy.address";
    /** The TCP peer's port (Integer). */
    public static final String PROXY_PORT = "dev.jamesproxy.proxy.port";
    /** The client as James sees it: the header's source, or the TCP peer (String). */
    public static final String CLIENT_ADDRESS = "dev.jamesproxy.client.address";
    /** The client's port (Integer). */
    public static final String CLIENT_PORT = "dev.jamesproxy.client.port";
    /** The address the client connected to, from the header (String). */
    public static final String DESTINATION_ADDRESS = "dev.jamesproxy.destination.address";
    /** The port the client connected to, from the header (Integer). */
    public static final String DESTINATION_PORT = "dev.jamesproxy.destination.port";
    /** True for a {@code direct} peer that sent no header (Boolean). */
    public static final String DIRECT = "dev.jamesproxy.direct";
    /** PROXY protocol version, 1 or 2 (Integer). */
    public static final String VERSION = "dev.jamesproxy.version";
    /** PROXY or LOCAL (String). */
    public static final String COMMAND = "dev.jamesproxy.command";
    /**
     * The CRC32C check of the header (String): {@code valid} (a CRC32C TLV was present and matched), {@code absent}
     * (none sent; always for v1) or {@code not_checked} (sent, but {@code <crc32c>ignore</crc32c>}). A mismatch
     * never gets this far under {@code verify} or {@code require}: the connection is closed.
     */
    public static final String CRC32C = "dev.jamesproxy.crc32c";
    /** The UNIQUE_ID TLV: as text when it is printable ASCII, otherwise lower-case hex (String). */
    public static final String UNIQUE_ID = "dev.jamesproxy.uniqueId";
    /** The AUTHORITY TLV, i.e. the SNI host name the client asked the proxy for (String). */
    public static final String AUTHORITY = "dev.jamesproxy.authority";
    /** The ALPN TLV (String). */
    public static final String ALPN = "dev.jamesproxy.alpn";
    /** Whether the client used TLS to the proxy, from the SSL TLV (Boolean). */
    public static final String TLS = "dev.jamesproxy.tls";
    /** TLS version, e.g. TLSv1.3 (String). */
    public static final String TLS_VERSION = "dev.jamesproxy.tls.version";
    /** TLS cipher (String). */
    public static final String TLS_CIPHER = "dev.jamesproxy.tls.cipher";
    /**
     * SSL_SIG_ALG: the algorithm that signed the certificate the proxy presented to the client (the frontend's, not
     * the client's), e.g. {@code RSA-SHA256} (String).
     */
    public static final String TLS_SIGNATURE_ALGORITHM = "dev.jamesproxy.tls.signatureAlgorithm";
    /** SSL_KEY_ALG: the key algorithm of the certificate the proxy presented, e.g. {@code RSA2048} (String). */
    public static final String TLS_KEY_ALGORITHM = "dev.jamesproxy.tls.keyAlgorithm";
    /** Client certificate common name (String). */
    public static final String TLS_COMMON_NAME = "dev.jamesproxy.tls.commonName";
    /** Whether the client presented a certificate (Boolean). */
    public static final String TLS_CLIENT_CERTIFICATE = "dev.jamesproxy.tls.clientCertificate";
    /** Whether the proxy verified the client certificate (Boolean). */
    public static final String TLS_CLIENT_CERTIFICATE_VERIFIED = "dev.jamesproxy.tls.clientCertificateVerified";
    /** AWS VPC endpoint id (String). */
    public static final String AWS_VPCE_ID = "dev.jamesproxy.aws.vpceId";
    /** Azure Private Link id (Long). */
    public static final String AZURE_LINK_ID = "dev.jamesproxy.azure.privateLinkId";
    /** GCP Private Service Connect id (Long). */
    public static final String GCP_PSC_CONNECTION_ID = "dev.jamesproxy.gcp.pscConnectionId";

    private ProxyMailAttributes() {
    }

    /** The attributes of one connection, hook-set ones last. */
    public static List<Attribute> of(ProxyConnection connection) {
        List<Attribute> attributes = new ArrayList<>();
        attributes.add(attribute(PROXY_ADDRESS, AttributeValue.of(connection.proxyIp())));
        attributes.add(attribute(PROXY_PORT, AttributeValue.of(connection.peer().getPort())));
        attributes.add(attribute(CLIENT_ADDRESS, AttributeValue.of(connection.clientIp())));
        attributes.add(attribute(CLIENT_PORT, AttributeValue.of(connection.clientAddress().getPort())));
        attributes.add(attribute(DIRECT, AttributeValue.of(connection.isDirect())));
        connection.proxyInformation().ifPresent(info -> {
            attributes.add(attribute(DESTINATION_ADDRESS, AttributeValue.of(AddressText.asJames(info.getDestination()))));
            attributes.add(attribute(DESTINATION_PORT, AttributeValue.of(info.getDestination().getPort())));
        });
        connection.proxyData().ifPresent(header -> addHeaderFacts(header, attributes));
        connection.mailAttributes().forEach((name, value) -> attributes.add(attribute(name, AttributeValue.of(value))));
        return attributes;
    }

    private static void addHeaderFacts(ProxyData header, List<Attribute> attributes) {
        OptionalInt version = header.version();
        if (version.isPresent()) {
            attributes.add(attribute(VERSION, AttributeValue.of(version.getAsInt())));
        }
        header.command().ifPresent(command -> attributes.add(attribute(COMMAND, AttributeValue.of(command.name()))));
        attributes.add(attribute(CRC32C, AttributeValue.of(header.crc32c().name().toLowerCase(Locale.ROOT))));
        text(header, TlvType.UNIQUE_ID).ifPresent(value -> attributes.add(attribute(UNIQUE_ID, AttributeValue.of(value))));
        text(header, TlvType.AUTHORITY).ifPresent(value -> attributes.add(attribute(AUTHORITY, AttributeValue.of(value))));
        text(header, TlvType.ALPN).ifPresent(value -> attributes.add(attribute(ALPN, AttributeValue.of(value))));
        SslInfo.from(header).ifPresent(ssl -> addTlsFacts(ssl, attributes));
        AwsVpcEndpoint.from(header).ifPresent(id -> attributes.add(attribute(AWS_VPCE_ID, AttributeValue.of(id))));
        addLong(attributes, AZURE_LINK_ID, AzurePrivateLink.from(header));
        addLong(attributes, GCP_PSC_CONNECTION_ID, GcpPrivateServiceConnect.from(header));
    }

    private static void addTlsFacts(SslInfo ssl, List<Attribute> attributes) {
        attributes.add(attribute(TLS, AttributeValue.of(ssl.isTls())));
        attributes.add(attribute(TLS_CLIENT_CERTIFICATE, AttributeValue.of(ssl.hasClientCertificate())));
        attributes.add(attribute(TLS_CLIENT_CERTIFICATE_VERIFIED, AttributeValue.of(ssl.isClientCertificateVerified())));
        ssl.version().ifPresent(value -> attributes.add(attribute(TLS_VERSION, AttributeValue.of(value))));
        ssl.cipher().ifPresent(value -> attributes.add(attribute(TLS_CIPHER, AttributeValue.of(value))));
        ssl.signatureAlgorithm().ifPresent(value -> attributes.add(attribute(TLS_SIGNATURE_ALGORITHM, AttributeValue.of(value))));
        ssl.keyAlgorithm().ifPresent(value -> attributes.add(attribute(TLS_KEY_ALGORITHM, AttributeValue.of(value))));
        ssl.commonName().ifPresent(value -> attributes.add(attribute(TLS_COMMON_NAME, AttributeValue.of(value))));
    }

    private static void addLong(List<Attribute> attributes, String name, OptionalLong value) {
        if (value.isPresent()) {
            attributes.add(attribute(name, AttributeValue.of(value.getAsLong())));
        }
    }

    /** A TLV value as text when it is printable ASCII, otherwise as lower-case hex. */
    static Optional<String> text(ProxyData header, TlvType type) {
        return header.firstTlv(type.code()).map(Tlv::value).map(ProxyMailAttributes::printableOrHex);
    }

    private static String printableOrHex(byte[] value) {
        boolean printable = value.length > 0;
        for (byte b : value) {
            printable &= b >= 0x20 && b < 0x7F;
        }
        return printable ? new String(value, StandardCharsets.US_ASCII) : Hex.encode(value);
    }

    private static Attribute attribute(String name, AttributeValue<?> value) {
        return new Attribute(AttributeName.of(name), value);
    }
}
