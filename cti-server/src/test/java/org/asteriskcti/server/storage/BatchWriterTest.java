package org.asteriskcti.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The stores' writer thread against a sink the test scripts: no database. */
class BatchWriterTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final List<BatchWriter<String>> writers = new ArrayList<>();
    private final Sink sink = new Sink();

    @AfterEach
    void closeAll() {
        sink.up();
        writers.forEach(BatchWriter::close);
    }

    /** Records every batch handed to it and what it stored; down: throws as an unreachable database does. */
    private static final class Sink implements BatchWriter.Sink<String> {
        final List<List<String>> batches = Collections.synchronizedList(new ArrayList<>());
        final List<String> stored = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger failures = new AtomicInteger();
        private volatile boolean down;

        void down() {
            down = true;
        }

        void up() {
            down = false;
        }

        @Override
        public void store(List<String> batch, BatchWriter.Progress done) throws SQLException {
            batches.add(batch);
            if (down) {
                failures.incrementAndGet();
                throw new SQLTransientConnectionException("test: the database is unreachable", "08001");
            }
            stored.addAll(batch);
        }
    }

    private BatchWriter<String> writer(int batch, Duration retryMin, Duration retryMax, Duration closeTimeout,
            BatchWriter.Sink<String> sink) {
        BatchWriter<String> w = new BatchWriter<>(names(), new BatchWriter.Settings(batch, retryMin, retryMax,
                closeTimeout), sink);
        writers.add(w);
        return w;
    }

    private BatchWriter<String> writer(int batch, Duration closeTimeout) {
        return writer(batch, Duration.ofMillis(5), Duration.ofMillis(40), closeTimeout, sink);
    }

    private static BatchWriter.Names names() {
        return new BatchWriter.Names(LoggerFactory.getLogger(BatchWriterTest.class), "test store", "things",
                "cti-test-writer");
    }

    /** In a sink: waits for the test's go, a bug if it never comes. */
    private static void awaitOrFail(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new AssertionError("the test never said go");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static List<String> items(int from, int to) {
        List<String> out = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            out.add("i" + i);
        }
        return out;
    }

    @Test
    void givenTenItemsWaiting_whenTheSinkTakesThem_thenInOrderInBatchesOfAtMostWriteBatch() throws Exception {
        BatchWriter<String> w = writer(3, WAIT);
        sink.down();
        items(1, 10).forEach(w::append);
        await().atMost(WAIT).until(() -> sink.failures.get() >= 1);
        int failedBatches = sink.batches.size();

        sink.up();

        assertThat(w.flush(WAIT)).isTrue();
        assertThat(sink.stored).containsExactlyElementsOf(items(1, 10));
        assertThat(sink.batches.subList(failedBatches, sink.batches.size())).containsExactly(
                List.of("i1", "i2", "i3"), List.of("i4", "i5", "i6"), List.of("i7", "i8", "i9"), List.of("i10"));
        assertThat(w.pending()).isZero();
    }

    @Test
    void givenTheSinkFailing_whenItAnswersAgain_thenEverythingIsStoredWithOneWarnAndOneInfo() throws Exception {
        BatchWriter<String> w = writer(2, WAIT);
        try (LogCapture logs = new LogCapture(BatchWriterTest.class)) {
            sink.down();
            items(1, 5).forEach(w::append);
            await().atMost(WAIT).until(() -> sink.failures.get() >= 5);
            assertThat(w.pending()).isEqualTo(5);
            assertThat(w.pendingItems()).containsExactlyElementsOf(items(1, 5));
            assertThat(w.flush(Duration.ofMillis(50))).isFalse();

            sink.up();

            assertThat(w.flush(WAIT)).isTrue();
            assertThat(sink.stored).containsExactlyElementsOf(items(1, 5));
            assertThat(logs.at(Level.WARN)).singleElement().asString().startsWith("test store: cannot write")
                    .contains("test: the database is unreachable").contains("keeping things in memory");
            assertThat(logs.at(Level.INFO)).singleElement().asString().contains("takes things again after");
        }
    }

    @Test
    void givenTheSinkFailing_thenItRetriesAfterTheBackoffNotInABusyLoop() throws Exception {
        BatchWriter<String> w = writer(2, Duration.ofMillis(50), Duration.ofMillis(50), WAIT, sink);
        sink.down();
        w.append("i1");
        await().atMost(WAIT).until(() -> sink.failures.get() >= 1);
        int before = sink.failures.get();

        Thread.sleep(500);

        // 50 ms between attempts: about 10 in 500 ms; a loop without the wait would make thousands.
        assertThat(sink.failures.get() - before).isBetween(2, 15);
    }

    @Test
    void givenASinkThatThrowsAnUncheckedException_thenTheBatchIsRetriedNotLost() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        List<String> stored = Collections.synchronizedList(new ArrayList<>());
        BatchWriter<String> w = writer(5, Duration.ofMillis(5), Duration.ofMillis(5), WAIT, (batch, done) -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("test: a bug");
            }
            stored.addAll(batch);
        });

        w.append("i1");

        assertThat(w.flush(WAIT)).isTrue();
        assertThat(calls.get()).isEqualTo(2);
        assertThat(stored).containsExactly("i1");
    }

    @Test
    void givenASinkThatFinishedPartOfItsBatchThenFailed_whenRetried_thenOnlyTheRestIsHandedAgain() throws Exception {
        CountDownLatch allAppended = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        List<List<String>> batches = Collections.synchronizedList(new ArrayList<>());
        List<String> stored = Collections.synchronizedList(new ArrayList<>());
        BatchWriter<String> w = writer(3, Duration.ofMillis(5), Duration.ofMillis(5), WAIT, (batch, done) -> {
            batches.add(batch);
            switch (calls.incrementAndGet()) {
                case 1 -> {
                    awaitOrFail(allAppended);
                    throw new SQLTransientConnectionException("test: down", "08001");
                }
                case 2 -> {
                    stored.add(batch.get(0));
                    done.finished(1);
                    throw new SQLTransientConnectionException("test: down again", "08001");
                }
                default -> stored.addAll(batch);
            }
        });
        items(1, 3).forEach(w::append);
        allAppended.countDown();

        assertThat(w.flush(WAIT)).isTrue();
        assertThat(batches.subList(1, batches.size())).containsExactly(List.of("i1", "i2", "i3"), List.of("i2", "i3"));
        assertThat(stored).containsExactly("i1", "i2", "i3");
    }

    @Test
    void givenASinkReportingMoreThanItsBatch_thenThatIsABugNotAStoredItem() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        BatchWriter<String> w = writer(3, Duration.ofMillis(5), Duration.ofMillis(5), WAIT, (batch, done) -> {
            if (calls.incrementAndGet() == 1) {
                assertThatThrownBy(() -> done.finished(batch.size() + 1)).isInstanceOf(IllegalStateException.class);
                throw new SQLTransientConnectionException("test: down", "08001");
            }
        });

        w.append("i1");

        assertThat(w.flush(WAIT)).isTrue();
        assertThat(calls.get()).isEqualTo(2);
    }

    @Test
    void givenAnItemTheSinkCannotStore_whenFlushed_thenTheFlushTimesOutAndTheItemStaysPending() throws Exception {
        BatchWriter<String> w = writer(1, WAIT);
        w.append("i1");
        assertThat(w.flush(WAIT)).isTrue();
        sink.down();
        w.append("i2");

        assertThat(w.flush(Duration.ofMillis(100))).isFalse();
        assertThat(w.pendingItems()).containsExactly("i2");
    }

    @Test
    void givenTheSinkBackWhileClosing_whenClosed_thenCloseWaitsUntilEverythingIsStored() throws Exception {
        BatchWriter<String> w = writer(2, WAIT);
        sink.down();
        items(1, 4).forEach(w::append);
        Thread back = new Thread(() -> {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            sink.up();
        });
        back.start();

        List<String> left = w.close();
        back.join();

        assertThat(left).isEmpty();
        assertThat(sink.stored).containsExactlyElementsOf(items(1, 4));
        assertThat(w.writing()).isFalse();
    }

    @Test
    void givenTheSinkDownThroughClose_whenClosed_thenItGivesUpAfterItsTimeoutAndReturnsWhatIsLeftInOrder()
            throws Exception {
        BatchWriter<String> w = writer(2, Duration.ofMillis(200));
        sink.down();
        items(1, 3).forEach(w::append);
        try (LogCapture logs = new LogCapture(BatchWriterTest.class)) {
            long before = System.nanoTime();
            List<String> left = w.close();

            assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(5));
            assertThat(left).containsExactlyElementsOf(items(1, 3));
            assertThat(logs.at(Level.WARN)).anySatisfy(l -> assertThat(l).contains("3 things still not stored after 200 ms"));
        }
        assertThat(w.writing()).isFalse();
        assertThat(w.append("late")).isFalse();
        assertThat(w.close()).isEmpty();
        assertThat(sink.stored).isEmpty();
    }

    @Test
    void givenACoalescingWriter_whenAKeyIsAppendedAgainWhilePending_thenOnlyItsLatestIsStoredInTheOrderOfLastAppends()
            throws Exception {
        BatchWriter<String> w = BatchWriter.coalescing(names(), new BatchWriter.Settings(5, Duration.ofMillis(5),
                Duration.ofMillis(40), WAIT), s -> s.substring(0, 2), sink);
        writers.add(w);
        sink.down();
        w.append("r1:v1");
        w.append("r2:v1");
        w.append("r1:v2");
        assertThat(w.pendingItems()).containsExactly("r2:v1", "r1:v2");

        sink.up();

        assertThat(w.flush(WAIT)).isTrue();
        assertThat(sink.stored).containsExactly("r2:v1", "r1:v2");
    }

    @Test
    void givenACoalescingWriter_whenAKeyIsAppendedAgainWhileBeingStored_thenTheNewerStaysAndIsStoredNext()
            throws Exception {
        CountDownLatch storing = new CountDownLatch(1);
        CountDownLatch appendedAgain = new CountDownLatch(1);
        List<String> stored = Collections.synchronizedList(new ArrayList<>());
        BatchWriter<String> w = BatchWriter.coalescing(names(), new BatchWriter.Settings(1, Duration.ofMillis(5),
                Duration.ofMillis(40), WAIT), s -> s.substring(0, 2), (batch, done) -> {
                    storing.countDown();
                    awaitOrFail(appendedAgain);
                    stored.addAll(batch);
                });
        writers.add(w);
        w.append("r1:v1");
        assertThat(storing.await(30, TimeUnit.SECONDS)).isTrue();
        w.append("r1:v2");
        appendedAgain.countDown();

        assertThat(w.flush(WAIT)).isTrue();
        assertThat(stored).containsExactly("r1:v1", "r1:v2");
        assertThat(w.pending()).isZero();
    }

    @Test
    void givenBadSettings_thenRefused() {
        assertThatThrownBy(() -> new BatchWriter.Settings(0, Duration.ofMillis(1), Duration.ofMillis(1), WAIT))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BatchWriter.Settings(1, Duration.ZERO, Duration.ofMillis(1), WAIT))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BatchWriter.Settings(1, Duration.ofMillis(2), Duration.ofMillis(1), WAIT))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
