package dev.jamesproxy.james.testing;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import javax.inject.Inject;

import org.apache.james.core.Username;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.MessageManager;
import org.apache.james.mailbox.model.FetchGroup;
import org.apache.james.mailbox.model.MailboxPath;
import org.apache.james.mailbox.model.MessageRange;
import org.apache.james.mailbox.model.MessageResult;
import org.apache.james.mailbox.model.MessageResultIterator;
import org.apache.james.mailrepository.api.MailKey;
import org.apache.james.mailrepository.api.MailRepository;
import org.apache.james.mailrepository.api.MailRepositoryStore;
import org.apache.james.mailrepository.api.MailRepositoryUrl;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.utils.GuiceProbe;
import org.apache.mailet.Mail;

import reactor.core.publisher.Mono;

/** Reads what the tests check inside James: metrics, INBOX contents, and the mails kept with their attributes. */
public class TestProbe implements GuiceProbe {
    /** Where the test mailet container keeps a copy of every mail (see james-conf/mailetcontainer.xml). */
    public static final MailRepositoryUrl RECEIVED = MailRepositoryUrl.from("memory://var/mail/received/");

    private final MetricFactory metricFactory;
    private final MailboxManager mailboxManager;
    private final MailRepositoryStore repositories;

    @Inject
    public TestProbe(MetricFactory metricFactory, MailboxManager mailboxManager, MailRepositoryStore repositories) {
        this.metricFactory = metricFactory;
        this.mailboxManager = mailboxManager;
        this.repositories = repositories;
    }

    /** The current count of a James metric (a counter that was never touched reads 0). */
    public long metric(String name) {
        return metricFactory.generate(name).getCount();
    }

    /** The full RFC 822 text of each message in the user's INBOX, waiting up to {@code wait} for {@code atLeast}. */
    public List<String> inbox(String user, int atLeast, Duration wait) throws Exception {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            List<String> messages = inbox(user);
            if (messages.size() >= atLeast || System.nanoTime() > deadline) {
                return messages;
            }
            Thread.sleep(50);
        }
    }

    private List<String> inbox(String user) throws Exception {
        MailboxSession session = mailboxManager.createSystemSession(Username.of(user));
        if (!Mono.from(mailboxManager.mailboxExists(MailboxPath.inbox(session), session)).block()) {
            return List.of();
        }
        MessageManager inbox = mailboxManager.getMailbox(MailboxPath.inbox(session), session);
        List<String> messages = new ArrayList<>();
        MessageResultIterator results = inbox.getMessages(MessageRange.all(), FetchGroup.FULL_CONTENT, session);
        while (results.hasNext()) {
            MessageResult result = results.next();
            try (InputStream content = result.getFullContent().getInputStream()) {
                messages.add(new String(content.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return messages;
    }

    /** The mails kept by the test mailet container, with their attributes; waits for {@code atLeast}. */
    public List<Mail> receivedMails(int atLeast, Duration wait) throws Exception {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            MailRepository repository = repositories.select(RECEIVED);
            List<Mail> mails = new ArrayList<>();
            for (Iterator<MailKey> keys = repository.list(); keys.hasNext();) {
                mails.add(repository.retrieve(keys.next()));
            }
            if (mails.size() >= atLeast || System.nanoTime() > deadline) {
                return mails;
            }
            Thread.sleep(50);
        }
    }
}
