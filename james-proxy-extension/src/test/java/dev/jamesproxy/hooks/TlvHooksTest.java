package dev.jamesproxy.hooks;

import static dev.jamesproxy.james.testing.ProxyHeaders.ascii;
import static dev.jamesproxy.james.testing.ProxyHeaders.concat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.junit.jupiter.api.Test;

import dev.jamesproxy.james.ProxyConnection;
import dev.jamesproxy.james.ProxyHook;
import dev.jamesproxy.james.testing.Connections;
import dev.jamesproxy.james.testing.ProxyHeaders;
import dev.jamesproxy.james.testing.Xml;
import dev.jamesproxy.protocol.ProxyData;

class TlvHooksTest {
    private static final int CLIENT_SSL = 0x01;
    private static final int CLIENT_CERT_CONN = 0x02;

    private static HookReturnCode.Action answer(ProxyHook hook, byte[] header) {
        ProxyData data = Connections.parse(header);
        ProxyConnection connection = Connections.proxied(data);
        return hook.doProxy(connection, data).getResult().getAction();
    }

    private static ProxyHeaders.V2 tcp() {
        return ProxyHeaders.v2("203.0.113.7", 40000, "192.0.2.25", 25);
    }

    private static byte[] ssl(int client, int verify, String commonName) {
        byte[] version = concat(new byte[] {0x21, 0x00, 0x07}, ascii("TLSv1.3"));
        byte[] cn = commonName == null ? new byte[0]
            : concat(new byte[] {0x22, 0x00, (byte) commonName.length()}, ascii(commonName));
        return concat(new byte[] {(byte) client, (byte) (verify >> 24), (byte) (verify >> 16), (byte) (verify >> 8), (byte) verify},
            version, cn);
    }

    private static RequireAwsVpcEndpoint vpceHook(String ids) throws ConfigurationException {
        RequireAwsVpcEndpoint hook = new RequireAwsVpcEndpoint();
        hook.init(Xml.parse("<hook><vpceIds>" + ids + "</vpceIds></hook>"));
        return hook;
    }

    private static RequireVerifiedClientCertificate certificateHook(String children) throws ConfigurationException {
        RequireVerifiedClientCertificate hook = new RequireVerifiedClientCertificate();
        hook.init(Xml.parse("<hook>" + children + "</hook>"));
        return hook;
    }

    private static byte[] vpce(String id) {
        return concat(new byte[] {0x01}, ascii(id));
    }

    @Test
    void vpcEndpointHookShouldDeclineListedEndpointsAndDenyTheRest() throws Exception {
        RequireAwsVpcEndpoint hook = vpceHook("vpce-aaa, vpce-bbb");

        assertThat(answer(hook, tcp().tlv(0xEA, vpce("vpce-bbb")).build())).isEqualTo(HookReturnCode.Action.DECLINED);
        assertThat(answer(hook, tcp().tlv(0xEA, vpce("vpce-ccc")).build())).isEqualTo(HookReturnCode.Action.DENY);
        assertThat(answer(hook, tcp().build())).isEqualTo(HookReturnCode.Action.DENY);
    }

    @Test
    void vpcEndpointHookShouldLeaveHealthChecksToLaterHooks() throws Exception {
        assertThat(answer(vpceHook("vpce-aaa"), ProxyHeaders.v2Local().build())).isEqualTo(HookReturnCode.Action.DECLINED);
    }

    @Test
    void vpcEndpointHookShouldNeedIds() {
        assertThatThrownBy(() -> vpceHook(" ")).isInstanceOf(ConfigurationException.class).hasMessageContaining("<vpceIds>");
    }

    @Test
    void certificateHookShouldDeclineAVerifiedCertificate() throws Exception {
        byte[] header = tcp().tlv(0x20, ssl(CLIENT_SSL | CLIENT_CERT_CONN, 0, "relay1.example.com")).build();

        assertThat(answer(certificateHook(""), header)).isEqualTo(HookReturnCode.Action.DECLINED);
    }

    @Test
    void certificateHookShouldDenyWithoutTlsACertificateOrVerification() throws Exception {
        RequireVerifiedClientCertificate hook = certificateHook("");

        assertThat(answer(hook, tcp().build())).isEqualTo(HookReturnCode.Action.DENY);
        assertThat(answer(hook, tcp().tlv(0x20, ssl(CLIENT_SSL, 0, null)).build())).isEqualTo(HookReturnCode.Action.DENY);
        assertThat(answer(hook, tcp().tlv(0x20, ssl(CLIENT_SSL | CLIENT_CERT_CONN, 1, "relay1.example.com")).build()))
            .isEqualTo(HookReturnCode.Action.DENY);
        assertThat(answer(hook, tcp().tlv(0x20, ssl(CLIENT_CERT_CONN, 0, "relay1.example.com")).build()))
            .isEqualTo(HookReturnCode.Action.DENY);
    }

    @Test
    void certificateHookShouldCheckTheCommonNameWhenListed() throws Exception {
        RequireVerifiedClientCertificate hook = certificateHook("<commonNames>relay1.example.com relay2.example.com</commonNames>");

        assertThat(answer(hook, tcp().tlv(0x20, ssl(CLIENT_SSL | CLIENT_CERT_CONN, 0, "relay2.example.com")).build()))
            .isEqualTo(HookReturnCode.Action.DECLINED);
        assertThat(answer(hook, tcp().tlv(0x20, ssl(CLIENT_SSL | CLIENT_CERT_CONN, 0, "intruder.example.com")).build()))
            .isEqualTo(HookReturnCode.Action.DENY);
    }
}
