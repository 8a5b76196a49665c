package dev.jamesproxy.protocol.tlv;

import java.util.Optional;

import dev.jamesproxy.protocol.ProxyData;
import dev.jamesproxy.protocol.Tlv;
import dev.jamesproxy.protocol.TlvType;

/**
 * The SSL TLV (0x20): what the proxy knows about the client's TLS connection. Immutable.
 *
 * <p>Careful with {@link #verify()}: HAProxy sends 0 when the client presented no certificate, so a
 * verified certificate is {@link #isClientCertificateVerified()}: a CERT bit and {@code verify == 0}.
 */
public final class SslInfo {
    /** PP2_CLIENT_SSL: the client connected over SSL/TLS. */
    public static final int CLIENT_SSL = 0x01;
    /** PP2_CLIENT_CERT_CONN: the client presented a certificate on this connection. */
    public static final int CLIENT_CERT_CONN = 0x02;
    /** PP2_CLIENT_CERT_SESS: the client presented a certificate at least once in this TLS session. */
    public static final int CLIENT_CERT_SESS = 0x04;

    private final Tlv tlv;

    private SslInfo(Tlv tlv) {
        this.tlv = tlv;
    }

    /** The first top-level SSL TLV of a header, when it has one of at least 5 bytes. */
    public static Optional<SslInfo> from(ProxyData data) {
        return data.firstTlv(TlvType.SSL).flatMap(SslInfo::of);
    }

    /** The view of an SSL TLV; empty for another type or a value shorter than 5 bytes. */
    public static Optional<SslInfo> of(Tlv tlv) {
        if (tlv.type() != TlvType.SSL.code() || tlv.length() < 5) {
            return Optional.empty();
        }
        return Optional.of(new SslInfo(tlv));
    }

    /** The {@code client} bit field. */
    public int clientFlags() {
        return tlv.valueByte(0);
    }

    /** The {@code verify} field: 0 when a presented certificate verified. Unsigned 32 bits. */
    public long verify() {
        return tlv.valueUnsignedInt(1);
    }

    /** The client spoke TLS to the proxy. */
    public boolean isTls() {
        return (clientFlags() & CLIENT_SSL) != 0;
    }

    /** The client presented a certificate, on this connection or earlier in the TLS session. */
    public boolean hasClientCertificate() {
        return (clientFlags() & (CLIENT_CERT_CONN | CLIENT_CERT_SESS)) != 0;
    }

    /** The client presented a certificate and the proxy verified it. */
    public boolean isClientCertificateVerified() {
        return hasClientCertificate() && verify() == 0;
    }

    /** SSL_VERSION, e.g. {@code TLSv1.3}. */
    public Optional<String> version() {
        return text(TlvType.SSL_VERSION);
    }

    /** SSL_CN: the Common Name of the client certificate's subject. */
    public Optional<String> commonName() {
        return text(TlvType.SSL_CN);
    }

    /** SSL_CIPHER, e.g. {@code ECDHE-RSA-AES128-GCM-SHA256}. */
    public Optional<String> cipher() {
        return text(TlvType.SSL_CIPHER);
    }

    /** SSL_SIG_ALG: the algorithm that signed the proxy's certificate. */
    public Optional<String> signatureAlgorithm() {
        return text(TlvType.SSL_SIG_ALG);
    }

    /** SSL_KEY_ALG: the algorithm of the proxy certificate's key. */
    public Optional<String> keyAlgorithm() {
        return text(TlvType.SSL_KEY_ALG);
    }

    /** SSL_GROUP: the key-exchange group, e.g. {@code secp256r1}. */
    public Optional<String> group() {
        return text(TlvType.SSL_GROUP);
    }

    /** SSL_SIG_SCHEME: the signature scheme of the handshake. */
    public Optional<String> signatureScheme() {
        return text(TlvType.SSL_SIG_SCHEME);
    }

    /** SSL_CLIENT_CERT: the client certificate in DER, when the proxy sends it. */
    public Optional<byte[]> clientCertificate() {
        return sub(TlvType.SSL_CLIENT_CERT).map(Tlv::value);
    }

    private Optional<String> text(TlvType type) {
        return sub(type).map(Tlv::valueAsString);
    }

    private Optional<Tlv> sub(TlvType type) {
        for (Tlv sub : tlv.subTlvs()) {
            if (sub.type() == type.code()) {
                return Optional.of(sub);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return "SslInfo{client=" + clientFlags() + ", verify=" + verify() + ", version=" + version().orElse("-")
            + ", cipher=" + cipher().orElse("-") + ", cn=" + commonName().orElse("-") + "}";
    }
}
