package dev.jamesproxy.james.testing;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import javax.inject.Inject;

import org.apache.james.core.Username;
import org.apache.james.lifecycle.api.LifecycleUtil;
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
import org.apache.james.utils.GuiceProbe;
import org.apache.mailet.Mail;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;

import reactor.core.publisher.Mono;

/** Reads what the tests check inside James: metrics, INBOX contents, and the mails kept with their attributes. */
public class TestProbe implements GuiceProbe {
    /** Where the test mailet container keeps a copy of every mail (see james-conf/mailetcontainer.xml). */
    public static final MailRepositoryUrl RECEIVED = MailRepositoryUrl.from("memory://var/mail/received/");

    private final MetricRegistry registry;
    private final MailboxManager mailboxManager;
    private final MailRepositoryStore repositories;

    @Inject
    public TestProbe(MetricRegistry registry, MailboxManager mailboxManager, MailRepositoryStore repositories) {
        this.registry = registry;
        this.mailboxManager = mailboxManager;
        this.repositories = repositories;
    }

    /** The count of a James counter metric; 0 when it was never touched. */
    public long metric(String name) {
        Meter meter = registry.getMeters().get(name);
        return meter == null ? 0 : meter.getCount();
    }

    /** How many times a James timer metric was published; 0 when never. */
    public long timerCount(String name) {
        Timer timer = registry.getTimers().get(name);
        return timer == null ? 0 : timer.getCount();
    }

    /** The first INBOX message containing {@code text}, waiting up to {@code wait} for it to be delivered. */
    public Optional<String> inboxMessageContaining(String user, String text, Duration wait) throws Exception {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            Optional<String> found = inbox(user).stream().filter(message -> message.contains(text)).findFirst();
            if (found.isPresent() || System.nanoTime() > deadline) {
                return found;
            }
            Thread.sleep(50);
        }
    }

    /** How many messages {@code user}'s INBOX holds (0 without an INBOX). */
    public long inboxCount(String user) throws Exception {
        MailboxSession session = mailboxManager.createSystemSession(Username.of(user));
        if (!Mono.from(mailboxManager.mailboxExists(MailboxPath.inbox(session), session)).block()) {
            return 0;
        }
        return mailboxManager.getMailbox(MailboxPath.inbox(session), session).getMessageCount(session);
    }

    /** Every INBOX message of {@code user}, in full. */
    public List<String> inboxMessages(String user) throws Exception {
        return inbox(user);
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

    /**
     * The first mail kept by the test mailet container that matches, with its attributes; waits up to {@code wait}.
     * The memory repository hands out a copy per call: the copies not returned are disposed here, or James's leak
     * detector would report each of them once it is garbage-collected.
     */
    public Optional<Mail> receivedMail(Predicate<Mail> match, Duration wait) throws Exception {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            MailRepository repository = repositories.select(RECEIVED);
            for (Iterator<MailKey> keys = repository.list(); keys.hasNext();) {
                Mail mail = repository.retrieve(keys.next());
                if (mail != null && match.test(mail)) {
                    return Optional.of(mail);
                }
                LifecycleUtil.dispose(mail);
            }
            if (System.nanoTime() > deadline) {
                return Optional.empty();
            }
            Thread.sleep(50);
        }
    }
}
