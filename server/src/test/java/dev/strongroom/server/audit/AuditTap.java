package dev.strongroom.server.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strongroom.api.json.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A backend for tests: keeps every event (sealed into its own chain, like a real backend) and lets a test wait for
 * one, so tests synchronise on events rather than on time.
 */
final class AuditTap implements AuditBackend {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private final Chain chain = Chain.fresh();
    private final List<String> all = new ArrayList<>();
    private final LinkedBlockingQueue<JsonNode> fresh = new LinkedBlockingQueue<>();

    @Override
    public synchronized boolean offer(AuditEntry e) {
        Bytes b = new Bytes(1024);
        chain.seal(e, b);
        String line = new String(b.toArray(), StandardCharsets.UTF_8);
        all.add(line);
        try {
            fresh.add(Json.parse(b.toArray()));
        } catch (IOException ex) {
            throw new AssertionError("an event that is not JSON: " + line, ex);
        }
        if (e.durable() != null) e.durable().complete(null);
        return true;
    }

    synchronized List<String> lines() { return List.copyOf(all); }

    /** Waits for an event matching {@code p} among those not consumed yet; the deadline only bounds a failure. */
    JsonNode await(String what, Predicate<JsonNode> p) throws InterruptedException {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (System.nanoTime() < end) {
            JsonNode n = fresh.poll(end - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (n != null && p.test(n)) return n;
        }
        throw new AssertionError("no audit event: " + what);
    }

    @Override public String describe() { return "test tap"; }
    @Override public long lost() { return 0; }
    @Override public void close() {}
}
