package dev.jamesproxy.james.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;

import org.apache.james.protocols.smtp.core.ReceivedDataLineFilter;
import org.apache.james.smtpserver.AddDefaultAttributesMessageHook;
import org.apache.james.smtpserver.CoreCmdHandlerLoader;
import org.apache.james.smtpserver.SendMailHandler;
import org.junit.jupiter.api.Test;

class ProxiedCoreCmdHandlerLoaderTest {

    @Test
    void receivedFilterShouldBeReplacedInPlace() {
        List<String> stock = new CoreCmdHandlerLoader().getHandlers();
        List<String> ours = new ProxiedCoreCmdHandlerLoader().getHandlers();

        assertThat(ours).doesNotContain(ReceivedDataLineFilter.class.getName());
        assertThat(ours.indexOf(ProxyReceivedDataLineFilter.class.getName()))
            .isEqualTo(stock.indexOf(ReceivedDataLineFilter.class.getName()));
    }

    @Test
    void attributesHookShouldRunBeforeJamesQueuesTheMail() {
        List<String> ours = new ProxiedCoreCmdHandlerLoader().getHandlers();

        assertThat(ours.indexOf(ProxyMailAttributesHook.class.getName()))
            .isLessThan(ours.indexOf(AddDefaultAttributesMessageHook.class.getName()))
            .isLessThan(ours.indexOf(SendMailHandler.class.getName()));
    }

    @Test
    void everyOtherStockHandlerShouldBeKept() {
        List<String> ours = new ProxiedCoreCmdHandlerLoader().getHandlers();

        assertThat(ours).containsAll(new CoreCmdHandlerLoader().getHandlers().stream()
            .filter(name -> !name.equals(ReceivedDataLineFilter.class.getName())).collect(Collectors.toList()));
    }
}
