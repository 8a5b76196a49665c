package dev.jamesproxy.hooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.junit.jupiter.api.Test;

import dev.jamesproxy.james.ProxyConnection;
import dev.jamesproxy.james.testing.Connections;
import dev.jamesproxy.james.testing.ProxyHeaders;
import dev.jamesproxy.james.testing.Xml;

class ClientNetworksTest {

    private static ClientNetworks hook(String children) throws ConfigurationException {
        ClientNetworks hook = new ClientNetworks();
        hook.init(Xml.parse("<hook class=\"dev.jamesproxy.hooks.ClientNetworks\">" + children + "</hook>"));
        return hook;
    }

    private static HookReturnCode.Action answer(ClientNetworks hook, String client) {
        ProxyConnection connection = Connections.from(client);
        return hook.doProxy(connection, connection.proxyData().orElseThrow()).getResult().getAction();
    }

    @Test
    void denyListShouldDenyItsMembersAndDeclineOthers() throws Exception {
        ClientNetworks hook = hook("<deny>192.0.2.0/24, 2001:db8::/32</deny>");

        assertThat(answer(hook, "192.0.2.9")).isEqualTo(HookReturnCode.Action.DENY);
        assertThat(answer(hook, "203.0.113.7")).isEqualTo(HookReturnCode.Action.DECLINED);
    }

    @Test
    void allowListShouldDenyNonMembersAndDeclineMembers() throws Exception {
        ClientNetworks hook = hook("<allow>203.0.113.0/24</allow>");

        assertThat(answer(hook, "203.0.113.7")).isEqualTo(HookReturnCode.Action.DECLINED);
        assertThat(answer(hook, "198.51.100.1")).isEqualTo(HookReturnCode.Action.DENY);
    }

    @Test
    void denyShouldWinOverAllow() throws Exception {
        ClientNetworks hook = hook("<allow>203.0.113.0/24</allow><deny>203.0.113.66</deny>");

        assertThat(answer(hook, "203.0.113.66")).isEqualTo(HookReturnCode.Action.DENY);
        assertThat(answer(hook, "203.0.113.65")).isEqualTo(HookReturnCode.Action.DECLINED);
    }

    @Test
    void localHeaderShouldBeJudgedOnTheProxyAddress() throws Exception {
        ClientNetworks hook = hook("<deny>10.0.0.0/8</deny>");
        ProxyConnection local = Connections.proxied(Connections.parse(ProxyHeaders.v2Local().build()));

        assertThat(hook.doProxy(local, local.proxyData().orElseThrow()).getResult().getAction())
            .isEqualTo(HookReturnCode.Action.DENY);
    }

    @Test
    void replyShouldBeCarriedByTheDenial() throws Exception {
        HookResult result = hook("<deny>192.0.2.0/24</deny><reply>550 5.7.1 Go away</reply>")
            .doProxy(Connections.from("192.0.2.1"), Connections.from("192.0.2.1").proxyData().orElseThrow());

        assertThat(result.getSmtpRetCode()).isEqualTo("550");
        assertThat(result.getSmtpDescription()).isEqualTo("5.7.1 Go away");
    }

    @Test
    void initShouldRequireAList() {
        assertThatThrownBy(() -> hook("")).isInstanceOf(ConfigurationException.class).hasMessageContaining("<allow> and/or <deny>");
    }

    @Test
    void initShouldRejectBadCidrsAndReplies() {
        assertThatThrownBy(() -> hook("<deny>mail.example</deny>")).isInstanceOf(ConfigurationException.class)
            .hasMessageContaining("'mail.example'");
        assertThatThrownBy(() -> hook("<deny>10.0.0.0/8</deny><reply>go away</reply>")).isInstanceOf(ConfigurationException.class)
            .hasMessageContaining("4xx or 5xx");
    }
}
